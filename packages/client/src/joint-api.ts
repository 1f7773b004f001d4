// Generated from joint-api's OpenAPI document by `pnpm --filter @gdhk/client generate`. Do not edit.
export type paths = {
    "/v1/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Decisions of every item, filtered by state and item */
        get: operations["listDecisions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/digest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** SHA-256 of the canonical joint view and the side-topic offsets it reflects */
        get: operations["getDigest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every decision, one row each, as CSV or XLSX in the chosen language */
        get: operations["exportDecisions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every item as the overview shows it, one row each, as CSV or XLSX in the chosen language */
        get: operations["exportItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/feed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The combined feed of verified events, in the projection's order, each side's order kept */
        get: operations["readFeed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/feed/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The combined feed as Server-Sent Events (`id:` the cursor, `data:` the entry); resumes after `Last-Event-ID`
         * @description Sends `: keep-alive` comments while idle. A client that does not read is disconnected and resumes with Last-Event-ID.
         */
        get: operations["streamFeed"];
        put?: never;
        post?: never;
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
        /** Items with their joint status, filtered by chapter, status and overdue */
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
        /** One item: both sides' parts, joint status, open decisions */
        get: operations["getItem"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/items/{itemId}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The item's verified events of both sides, in the contract's cross-side order (occurredAt, side, eventId) */
        get: operations["getItemHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Item counts per chapter and joint status, with overdue and integrity-flagged counts */
        get: operations["getSummary"];
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
        /** @description A decision resolved over both side streams in the cross-side order */
        Decision: {
            answers: {
                actor: {
                    department: string;
                    /** @enum {string} */
                    role: "staff" | "coordinator" | "secretariat" | "auditor";
                    userId: string;
                };
                applied: boolean;
                comment: string | null;
                eventId: string;
                occurredAt: string;
                /** @enum {string} */
                side: "gd" | "hk";
                streamVersion: number;
                /** @enum {string} */
                type: "approved" | "rejected" | "withdrawn";
            }[];
            decisionId: string;
            itemId: string;
            /** @enum {string} */
            kind: "close_item" | "reopen_item" | "extend_deadline" | "escalate";
            proposal: {
                actor: {
                    department: string;
                    /** @enum {string} */
                    role: "staff" | "coordinator" | "secretariat" | "auditor";
                    userId: string;
                };
                eventId: string;
                occurredAt: string;
                rationale: string;
                streamVersion: number;
                targetDate: string | null;
            };
            /** @enum {string} */
            proposedBy: "gd" | "hk";
            resolution: ({
                actor: {
                    department: string;
                    /** @enum {string} */
                    role: "staff" | "coordinator" | "secretariat" | "auditor";
                    userId: string;
                };
                comment: string | null;
                eventId: string;
                occurredAt: string;
                /** @enum {string} */
                reason: "approved" | "rejected" | "withdrawn";
                /** @enum {string} */
                side: "gd" | "hk";
            } | {
                /** @constant */
                reason: "superseded";
                supersededBy: string;
            }) | null;
            /** @enum {string} */
            state: "open" | "effective" | "rejected" | "withdrawn";
        };
        Digest: {
            /** @description SHA-256 (hex) of the RFC 8785 canonical JSON of the joint view of every written item */
            digest: string;
            items: number;
            /** @description `<topic>/<partition>` → next offset: the side-topic positions the view reflects */
            offsets: {
                [key: string]: number;
            };
        };
        /** @description A verified event as its side wrote it (see the side services for every field) */
        FeedEvent: {
            eventId: string;
            itemId: string;
            /** @enum {string} */
            side: "gd" | "hk";
            streamVersion: number;
            type: string;
        } & {
            [key: string]: unknown;
        };
        FeedPage: {
            events: {
                cursor: string;
                event: components["schemas"]["FeedEvent"];
            }[];
            /** @description pass as `after` to read on; stays valid across rebuilds of the read model */
            next: string;
        };
        HistoryPage: {
            /** @description in the cross-side order: occurredAt, then side, then eventId */
            events: components["schemas"]["FeedEvent"][];
            itemId: string;
            /** @description pass as `after` for the next page; null on the last page */
            next: string | null;
            /** @description how many events the item's history holds */
            total: number;
        };
        JointItem: {
            chapter: {
                number: number;
                title: string;
            };
            escalated: boolean;
            /** @description 'ok', or why one of the item's streams stopped verifying */
            integrity: string;
            itemId: string;
            locale: string;
            number: number;
            openDecisions: components["schemas"]["Decision"][];
            /** @description the target date has passed in Asia/Hong_Kong, computed at read time */
            overdue: boolean;
            section: {
                number: number;
                title: string;
            } | null;
            sides: {
                gd: components["schemas"]["SidePart"];
                hk: components["schemas"]["SidePart"];
            };
            /** @enum {string} */
            status: "not_started" | "in_progress" | "blocked" | "awaiting_decision" | "closed";
            targetDate: string | null;
            targetDateSource: ("extend_deadline" | "side_reports") | null;
            text: string;
        };
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
        /** @description One side's part of an item, as its own stream says */
        SidePart: {
            blockers: string | null;
            departments: string[];
            lastOccurredAt: string | null;
            nextSteps: string | null;
            progress: number;
            reportedAt: string | null;
            /** @enum {string} */
            side: "gd" | "hk";
            /** @enum {string} */
            status: "not_started" | "in_progress" | "blocked" | "completed";
            streamVersion: number;
            summary: string | null;
            targetDate: string | null;
        };
        Summary: {
            byStatus: {
                awaiting_decision: number;
                blocked: number;
                closed: number;
                in_progress: number;
                not_started: number;
            };
            chapters: {
                byStatus: {
                    awaiting_decision: number;
                    blocked: number;
                    closed: number;
                    in_progress: number;
                    not_started: number;
                };
                /** @description items whose integrity is not ok */
                flagged: number;
                number: number;
                overdue: number;
                title: string;
                total: number;
            }[];
            /** @description items whose integrity is not ok */
            flagged: number;
            locale: string;
            overdue: number;
            total: number;
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
    listDecisions: {
        parameters: {
            query?: {
                itemId?: string;
                state?: "open" | "effective" | "rejected" | "withdrawn";
            };
            header?: {
                /** @description an ETag from an earlier answer: 304 when nothing changed */
                "if-none-match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description Strong entity tag of the representation; send it back in If-None-Match (reads) or If-Match (writes) */
                    ETag?: string;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        decisions: components["schemas"]["Decision"][];
                    };
                };
            };
            /** @description Not Modified: the ETag sent in If-None-Match is current */
            304: {
                headers: {
                    /** @description Strong entity tag of the representation; send it back in If-None-Match (reads) or If-Match (writes) */
                    ETag?: string;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
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
    getDigest: {
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
                    "application/json": components["schemas"]["Digest"];
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
    exportDecisions: {
        parameters: {
            query?: {
                /** @description csv or xlsx; without it, Accept decides (text/csv, the XLSX media type), CSV by default */
                format?: "csv" | "xlsx";
                itemId?: string;
                state?: "open" | "effective" | "rejected" | "withdrawn";
            };
            header?: {
                accept?: string;
                /** @description zh-Hant, zh-Hans or en (the default is zh-Hant) */
                "accept-language"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (UTF-8 with BOM, CRLF) or XLSX */
            200: {
                headers: {
                    /** @description attachment; filename=… */
                    "Content-Disposition"?: string;
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Accept-Language: the representation depends on it */
                    Vary?: string;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
                    "text/csv; charset=utf-8": string;
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
    exportItems: {
        parameters: {
            query?: {
                chapter?: number;
                /** @description csv or xlsx; without it, Accept decides (text/csv, the XLSX media type), CSV by default */
                format?: "csv" | "xlsx";
                overdue?: "true" | "false";
                status?: "not_started" | "in_progress" | "blocked" | "awaiting_decision" | "closed";
            };
            header?: {
                accept?: string;
                /** @description zh-Hant, zh-Hans or en (the default is zh-Hant) */
                "accept-language"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (UTF-8 with BOM, CRLF) or XLSX */
            200: {
                headers: {
                    /** @description attachment; filename=… */
                    "Content-Disposition"?: string;
                    /** @description The language of the localised text: zh-Hant, zh-Hans or en */
                    "Content-Language"?: "zh-Hant" | "zh-Hans" | "en";
                    /** @description Accept-Language: the representation depends on it */
                    Vary?: string;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
                    "text/csv; charset=utf-8": string;
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
    readFeed: {
        parameters: {
            query?: {
                /** @description a cursor from an earlier page (`next` or an entry's `cursor`); the start of the feed when absent */
                after?: string;
                limit?: number;
            };
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
                    "application/json": components["schemas"]["FeedPage"];
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
    streamFeed: {
        parameters: {
            query?: {
                /** @description used when no Last-Event-ID header is sent */
                after?: string;
            };
            header?: {
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream: `id:` the cursor, `data:` `{ cursor, event }` */
            200: {
                headers: {
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
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
            query?: {
                chapter?: number;
                overdue?: "true" | "false";
                status?: "not_started" | "in_progress" | "blocked" | "awaiting_decision" | "closed";
            };
            header?: {
                /** @description zh-Hant, zh-Hans or en (the default is zh-Hant) */
                "accept-language"?: string;
                /** @description an ETag from an earlier answer: 304 when nothing changed */
                "if-none-match"?: string;
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
                        items: components["schemas"]["JointItem"][];
                    };
                };
            };
            /** @description Not Modified: the ETag sent in If-None-Match is current */
            304: {
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
                content?: never;
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
    getItem: {
        parameters: {
            query?: never;
            header?: {
                /** @description zh-Hant, zh-Hans or en (the default is zh-Hant) */
                "accept-language"?: string;
                /** @description an ETag from an earlier answer: 304 when nothing changed */
                "if-none-match"?: string;
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
                    "application/json": components["schemas"]["JointItem"];
                };
            };
            /** @description Not Modified: the ETag sent in If-None-Match is current */
            304: {
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
                content?: never;
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
    getItemHistory: {
        parameters: {
            query?: {
                /** @description `next` of the previous page; the first page when absent */
                after?: string;
                limit?: number;
            };
            header?: never;
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
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HistoryPage"];
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
    getSummary: {
        parameters: {
            query?: never;
            header?: {
                /** @description zh-Hant, zh-Hans or en (the default is zh-Hant) */
                "accept-language"?: string;
                /** @description an ETag from an earlier answer: 304 when nothing changed */
                "if-none-match"?: string;
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
                    /** @description Strong entity tag of the representation; send it back in If-None-Match (reads) or If-Match (writes) */
                    ETag?: string;
                    /** @description Accept-Language: the representation depends on it */
                    Vary?: string;
                    /** @description The request's correlation id (the caller's, or one generated); problem details carry it as `instance` */
                    "X-Correlation-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Summary"];
                };
            };
            /** @description Not Modified: the ETag sent in If-None-Match is current */
            304: {
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
                content?: never;
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
}
