import { z } from 'zod';
import { DomainError } from './errors.ts';
import { readCurrentEvent } from './event-reader.ts';
import { CURRENT_SCHEMA_VERSION, EVENT_TYPES, ItemEvent } from './events.ts';
import type { EventType } from './events.ts';

/** A stored event as read, before it is known to match any schema. */
export type RawEvent = { type: EventType; schemaVersion: number; [field: string]: unknown };

/**
 * Turns an event of `fromVersion` into the shape of `fromVersion + 1`; the registry stamps the
 * new `schemaVersion`. Must be pure and must not mutate its input.
 */
export type Upcaster = (event: RawEvent) => Record<string, unknown>;

export interface UpcasterRegistry {
  /** A new registry that also upcasts `type` from `fromVersion` to `fromVersion + 1`. */
  register(type: EventType, fromVersion: number, upcast: Upcaster): UpcasterRegistry;
  upcasterFor(type: EventType, fromVersion: number): Upcaster | undefined;
}

function registryOf(upcasters: ReadonlyMap<string, Upcaster>): UpcasterRegistry {
  return {
    register(type, fromVersion, upcast) {
      if (!Number.isInteger(fromVersion) || fromVersion < 0 || fromVersion >= CURRENT_SCHEMA_VERSION) {
        throw new RangeError(`an upcaster starts below the current schema version ${CURRENT_SCHEMA_VERSION}, got ${fromVersion}`);
      }
      const key = `${type}@${fromVersion}`;
      if (upcasters.has(key)) throw new RangeError(`an upcaster for ${key} is already registered`);
      return registryOf(new Map([...upcasters, [key, upcast]]));
    },
    upcasterFor(type, fromVersion) {
      return upcasters.get(`${type}@${fromVersion}`);
    },
  };
}

/** Immutable: `register` returns a new registry, so the default one cannot be changed from outside. */
export function createUpcasterRegistry(): UpcasterRegistry {
  return registryOf(new Map());
}

/**
 * 1 → 2 (sealed commits, issue 12): a version 1 event was signed on its own; version 2 moves the
 * signature to the transaction's seal and links the event to its transaction. The signature was
 * verified before the upcast (it covers the stored bytes) and means nothing to the domain, so it is
 * dropped; a version 1 event belonged to no sealed commit, so its `commit` is null.
 */
const signedOnItsOwn: Upcaster = ({ signature: _signature, ...event }) => ({ ...event, commit: null });

export const defaultUpcasterRegistry: UpcasterRegistry = EVENT_TYPES.reduce((registry, type) => registry.register(type, 1, signedOnItsOwn), createUpcasterRegistry());

const EventHead = z.looseObject({ type: z.enum(EVENT_TYPES), schemaVersion: z.int().min(0) });

function issuesOf(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/**
 * Reads a stored event of any schema version up to the current one.
 *
 * Integrity (hash chain and signature) is computed over the stored raw JSON, so it must be
 * verified BEFORE this call: upcasting changes the bytes the hash was taken over.
 */
export function parseEvent(raw: unknown, registry: UpcasterRegistry = defaultUpcasterRegistry): ItemEvent {
  // The compiled reader first; whatever it is not sure of, and every refusal, is zod's to say.
  const read = registry === defaultUpcasterRegistry ? readKnownEvent(raw) : undefined;
  if (read !== undefined) return read;
  const head = EventHead.safeParse(raw);
  if (!head.success) {
    throw new DomainError('GDHK_EVENT_INVALID', 'the event has no known type or schema version', { issues: issuesOf(head.error) });
  }
  const { type, schemaVersion } = head.data;
  if (schemaVersion > CURRENT_SCHEMA_VERSION) {
    throw new DomainError(
      'GDHK_EVENT_VERSION_UNSUPPORTED',
      `${type} v${schemaVersion} is newer than this reader (v${CURRENT_SCHEMA_VERSION})`,
      { type, schemaVersion },
    );
  }
  let event: RawEvent = head.data;
  for (let version = schemaVersion; version < CURRENT_SCHEMA_VERSION; version += 1) {
    const upcast = registry.upcasterFor(type, version);
    if (upcast === undefined) {
      throw new DomainError('GDHK_EVENT_VERSION_UNSUPPORTED', `no upcaster reads ${type} v${version}`, { type, schemaVersion: version });
    }
    event = { ...upcast(event), type, schemaVersion: version + 1 };
  }
  const parsed = ItemEvent.safeParse(event);
  if (!parsed.success) {
    throw new DomainError('GDHK_EVENT_INVALID', `the ${type} event does not match its schema`, { issues: issuesOf(parsed.error) });
  }
  return parsed.data;
}

const eventTypes: ReadonlySet<unknown> = new Set(EVENT_TYPES);

/**
 * `parseEvent` with the default registry, by the compiled reader: the same head check, the same
 * upcasts, then the current schema. Undefined wherever the reader is not sure zod would accept.
 */
function readKnownEvent(raw: unknown): ItemEvent | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const { type, schemaVersion } = raw as Record<string, unknown>;
  if (!eventTypes.has(type) || !Number.isSafeInteger(schemaVersion) || (schemaVersion as number) < 0 || (schemaVersion as number) > CURRENT_SCHEMA_VERSION) return undefined;
  let event = raw as RawEvent;
  for (let version = schemaVersion as number; version < CURRENT_SCHEMA_VERSION; version += 1) {
    const upcast = defaultUpcasterRegistry.upcasterFor(event.type, version);
    if (upcast === undefined) return undefined;
    event = { ...upcast(event), type: event.type, schemaVersion: version + 1 };
  }
  return readCurrentEvent(event);
}
