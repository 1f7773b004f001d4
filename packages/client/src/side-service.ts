// Generated from the side services's OpenAPI document by `pnpm --filter @gdhk/client generate`. Do not edit.
export type paths = {
    "/v1/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Propose a decision (coordinators); the proposing side approves implicitly */
        post: operations["proposeDecision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/decisions/{decisionId}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve the other side's open decision (coordinators) */
        post: operations["approveDecision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/decisions/{decisionId}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject the other side's open decision (coordinators) */
        post: operations["rejectDecision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/decisions/{decisionId}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Withdraw this side's open decision (coordinators) */
        post: operations["withdrawDecision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The plan's items with this side's state */
        get: operations["listItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/items/{itemId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One item with this side's state; ETag is the stream version */
        get: operations["getItem"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/items/{itemId}/assignments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Assign a department to the item (coordinators) */
        post: operations["assignDepartment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/items/{itemId}/assignments/{department}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Unassign a department (coordinators) */
        delete: operations["unassignDepartment"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/items/{itemId}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Report status (staff of an assigned department, or a coordinator) */
        post: operations["reportStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This side's public event-signing keys (the key set format of @gdhk/integrity) */
        get: operations["listPublicKeys"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        Problem: {
            code: string;
            detail?: string;
            errors?: {
                field: string;
                message: string;
            }[];
            /** @description the request's correlation id (X-Correlation-Id) */
            instance?: string;
            status: number;
            title: string;
            type: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    proposeDecision: {
        parameters: {
            query?: never;
            header: {
                /** @description zh-Hant, zh-Hans or en: the language of problem details */
                "accept-language"?: string;
                /** @description Unique per intended write; a retry sends the same key and body. A structured-field string ("…"); the bare key is the same key */
                "idempotency-key": string;
                /** @description The stream version the write expects, as the ETag gave it ("3"); strong comparison: a weak tag gets 412; * means any current version */
                "if-match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    itemId: string;
                    /** @enum {string} */
                    kind: "close_item" | "reopen_item" | "extend_deadline" | "escalate";
                    rationale: string;
                    /** Format: date */
                    targetDate?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    /** @description Strong entity tag of the representation; send it back in If-None-Match (reads) or If-Match (writes) */
                    ETag?: string;
                    /** @description `true` when the response replays the first answer to this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            blockers?: string;
                            nextSteps?: string;
                            progress: number;
                            /** @enum {string} */
                            status: "not_started" | "in_progress" | "blocked" | "completed";
                            summary: string;
                            /** Format: date */
                            targetDate?: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.status-reported";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            department: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.department-assigned";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            department: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.department-unassigned";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            /** Format: uuid */
                            decisionId: string;
                            /** @enum {string} */
                            kind: "close_item" | "reopen_item" | "extend_deadline" | "escalate";
                            rationale: string;
                            /** Format: date */
                            targetDate?: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.proposed";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            comment?: string;
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.approved";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            comment?: string;
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.rejected";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.withdrawn";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            412: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    approveDecision: {
        parameters: {
            query?: never;
            header: {
                /** @description zh-Hant, zh-Hans or en: the language of problem details */
                "accept-language"?: string;
                /** @description Unique per intended write; a retry sends the same key and body. A structured-field string ("…"); the bare key is the same key */
                "idempotency-key": string;
                /** @description The stream version the write expects, as the ETag gave it ("3"); strong comparison: a weak tag gets 412; * means any current version */
                "if-match"?: string;
            };
            path: {
                decisionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    comment?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    /** @description Strong entity tag of the representation; send it back in If-None-Match (reads) or If-Match (writes) */
                    ETag?: string;
                    /** @description `true` when the response replays the first answer to this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            blockers?: string;
                            nextSteps?: string;
                            progress: number;
                            /** @enum {string} */
                            status: "not_started" | "in_progress" | "blocked" | "completed";
                            summary: string;
                            /** Format: date */
                            targetDate?: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.status-reported";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            department: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.department-assigned";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            department: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.department-unassigned";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            /** Format: uuid */
                            decisionId: string;
                            /** @enum {string} */
                            kind: "close_item" | "reopen_item" | "extend_deadline" | "escalate";
                            rationale: string;
                            /** Format: date */
                            targetDate?: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.proposed";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            comment?: string;
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.approved";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            comment?: string;
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.rejected";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.withdrawn";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            412: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rejectDecision: {
        parameters: {
            query?: never;
            header: {
                /** @description zh-Hant, zh-Hans or en: the language of problem details */
                "accept-language"?: string;
                /** @description Unique per intended write; a retry sends the same key and body. A structured-field string ("…"); the bare key is the same key */
                "idempotency-key": string;
                /** @description The stream version the write expects, as the ETag gave it ("3"); strong comparison: a weak tag gets 412; * means any current version */
                "if-match"?: string;
            };
            path: {
                decisionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    comment?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    /** @description Strong entity tag of the representation; send it back in If-None-Match (reads) or If-Match (writes) */
                    ETag?: string;
                    /** @description `true` when the response replays the first answer to this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            blockers?: string;
                            nextSteps?: string;
                            progress: number;
                            /** @enum {string} */
                            status: "not_started" | "in_progress" | "blocked" | "completed";
                            summary: string;
                            /** Format: date */
                            targetDate?: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.status-reported";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            department: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.department-assigned";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            department: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.department-unassigned";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            /** Format: uuid */
                            decisionId: string;
                            /** @enum {string} */
                            kind: "close_item" | "reopen_item" | "extend_deadline" | "escalate";
                            rationale: string;
                            /** Format: date */
                            targetDate?: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.proposed";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            comment?: string;
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.approved";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            comment?: string;
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.rejected";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.withdrawn";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            412: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    withdrawDecision: {
        parameters: {
            query?: never;
            header: {
                /** @description zh-Hant, zh-Hans or en: the language of problem details */
                "accept-language"?: string;
                /** @description Unique per intended write; a retry sends the same key and body. A structured-field string ("…"); the bare key is the same key */
                "idempotency-key": string;
                /** @description The stream version the write expects, as the ETag gave it ("3"); strong comparison: a weak tag gets 412; * means any current version */
                "if-match"?: string;
            };
            path: {
                decisionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    /** @description Strong entity tag of the representation; send it back in If-None-Match (reads) or If-Match (writes) */
                    ETag?: string;
                    /** @description `true` when the response replays the first answer to this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            blockers?: string;
                            nextSteps?: string;
                            progress: number;
                            /** @enum {string} */
                            status: "not_started" | "in_progress" | "blocked" | "completed";
                            summary: string;
                            /** Format: date */
                            targetDate?: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.status-reported";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            department: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.department-assigned";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            department: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.department-unassigned";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            /** Format: uuid */
                            decisionId: string;
                            /** @enum {string} */
                            kind: "close_item" | "reopen_item" | "extend_deadline" | "escalate";
                            rationale: string;
                            /** Format: date */
                            targetDate?: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.proposed";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            comment?: string;
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.approved";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            comment?: string;
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.rejected";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.withdrawn";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            412: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listItems: {
        parameters: {
            query?: never;
            header?: {
                /** @description zh-Hant, zh-Hans or en (the default is zh-Hant) */
                "accept-language"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Accept-Language: the representation depends on it */
                    Vary?: string;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            blockers: string | null;
                            chapter: {
                                number: number;
                                title: string;
                            };
                            departments: string[];
                            integrity: string;
                            itemId: string;
                            locale: string;
                            nextSteps: string | null;
                            number: number;
                            openDecisions: {
                                decisionId: string;
                                kind: string;
                                proposedBy: string;
                            }[];
                            progress: number;
                            section: {
                                number: number;
                                title: string;
                            } | null;
                            status: string;
                            streamVersion: number;
                            summary: string | null;
                            targetDate: string | null;
                            text: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getItem: {
        parameters: {
            query?: never;
            header?: {
                /** @description zh-Hant, zh-Hans or en (the default is zh-Hant) */
                "accept-language"?: string;
            };
            path: {
                itemId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Strong entity tag of the representation; send it back in If-None-Match (reads) or If-Match (writes) */
                    ETag?: string;
                    /** @description Accept-Language: the representation depends on it */
                    Vary?: string;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        blockers: string | null;
                        chapter: {
                            number: number;
                            title: string;
                        };
                        departments: string[];
                        integrity: string;
                        itemId: string;
                        locale: string;
                        nextSteps: string | null;
                        number: number;
                        openDecisions: {
                            decisionId: string;
                            kind: string;
                            proposedBy: string;
                        }[];
                        progress: number;
                        section: {
                            number: number;
                            title: string;
                        } | null;
                        status: string;
                        streamVersion: number;
                        summary: string | null;
                        targetDate: string | null;
                        text: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    assignDepartment: {
        parameters: {
            query?: never;
            header: {
                /** @description zh-Hant, zh-Hans or en: the language of problem details */
                "accept-language"?: string;
                /** @description Unique per intended write; a retry sends the same key and body. A structured-field string ("…"); the bare key is the same key */
                "idempotency-key": string;
                /** @description The stream version the write expects, as the ETag gave it ("3"); strong comparison: a weak tag gets 412; * means any current version */
                "if-match"?: string;
            };
            path: {
                itemId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    department: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    /** @description Strong entity tag of the representation; send it back in If-None-Match (reads) or If-Match (writes) */
                    ETag?: string;
                    /** @description `true` when the response replays the first answer to this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            blockers?: string;
                            nextSteps?: string;
                            progress: number;
                            /** @enum {string} */
                            status: "not_started" | "in_progress" | "blocked" | "completed";
                            summary: string;
                            /** Format: date */
                            targetDate?: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.status-reported";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            department: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.department-assigned";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            department: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.department-unassigned";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            /** Format: uuid */
                            decisionId: string;
                            /** @enum {string} */
                            kind: "close_item" | "reopen_item" | "extend_deadline" | "escalate";
                            rationale: string;
                            /** Format: date */
                            targetDate?: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.proposed";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            comment?: string;
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.approved";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            comment?: string;
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.rejected";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.withdrawn";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            412: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    unassignDepartment: {
        parameters: {
            query?: never;
            header?: {
                /** @description zh-Hant, zh-Hans or en: the language of problem details */
                "accept-language"?: string;
                /** @description Unique per intended write; a retry sends the same key and body. A structured-field string ("…"); the bare key is the same key */
                "idempotency-key"?: string;
                /** @description The stream version the write expects, as the ETag gave it ("3"); strong comparison: a weak tag gets 412; * means any current version */
                "if-match"?: string;
            };
            path: {
                department: string;
                itemId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    /** @description Strong entity tag of the representation; send it back in If-None-Match (reads) or If-Match (writes) */
                    ETag?: string;
                    /** @description `true` when the response replays the first answer to this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            blockers?: string;
                            nextSteps?: string;
                            progress: number;
                            /** @enum {string} */
                            status: "not_started" | "in_progress" | "blocked" | "completed";
                            summary: string;
                            /** Format: date */
                            targetDate?: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.status-reported";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            department: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.department-assigned";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            department: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.department-unassigned";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            /** Format: uuid */
                            decisionId: string;
                            /** @enum {string} */
                            kind: "close_item" | "reopen_item" | "extend_deadline" | "escalate";
                            rationale: string;
                            /** Format: date */
                            targetDate?: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.proposed";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            comment?: string;
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.approved";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            comment?: string;
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.rejected";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.withdrawn";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            412: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reportStatus: {
        parameters: {
            query?: never;
            header: {
                /** @description zh-Hant, zh-Hans or en: the language of problem details */
                "accept-language"?: string;
                /** @description Unique per intended write; a retry sends the same key and body. A structured-field string ("…"); the bare key is the same key */
                "idempotency-key": string;
                /** @description The stream version the write expects, as the ETag gave it ("3"); strong comparison: a weak tag gets 412; * means any current version */
                "if-match"?: string;
            };
            path: {
                itemId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    blockers?: string;
                    nextSteps?: string;
                    progress: number;
                    /** @enum {string} */
                    status: "not_started" | "in_progress" | "blocked" | "completed";
                    summary: string;
                    /** Format: date */
                    targetDate?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    /** @description Strong entity tag of the representation; send it back in If-None-Match (reads) or If-Match (writes) */
                    ETag?: string;
                    /** @description `true` when the response replays the first answer to this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            blockers?: string;
                            nextSteps?: string;
                            progress: number;
                            /** @enum {string} */
                            status: "not_started" | "in_progress" | "blocked" | "completed";
                            summary: string;
                            /** Format: date */
                            targetDate?: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.status-reported";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            department: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.department-assigned";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            department: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "item.department-unassigned";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            /** Format: uuid */
                            decisionId: string;
                            /** @enum {string} */
                            kind: "close_item" | "reopen_item" | "extend_deadline" | "escalate";
                            rationale: string;
                            /** Format: date */
                            targetDate?: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.proposed";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            comment?: string;
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.approved";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            comment?: string;
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.rejected";
                    } | {
                        actor: {
                            department: string;
                            /** @enum {string} */
                            role: "staff" | "coordinator" | "secretariat" | "auditor";
                            userId: string;
                        };
                        causationId: string;
                        commandId: string;
                        correlationId: string;
                        data: {
                            /** Format: uuid */
                            decisionId: string;
                        };
                        /** Format: uuid */
                        eventId: string;
                        hash: string;
                        itemId: string;
                        /** Format: date-time */
                        occurredAt: string;
                        prevHash: string;
                        /** @enum {number} */
                        schemaVersion: 1;
                        /** @enum {string} */
                        side: "gd" | "hk";
                        signature: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            value: string;
                        };
                        streamVersion: number;
                        /** @enum {string} */
                        type: "decision.withdrawn";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            412: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listPublicKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: {
                            /** @enum {string} */
                            alg: "Ed25519";
                            keyId: string;
                            /** @description base64url of the raw 32-byte Ed25519 public key (JWK x) */
                            publicKey: string;
                            /** @enum {string} */
                            side: "gd" | "hk";
                            validFrom?: string;
                            validUntil?: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
