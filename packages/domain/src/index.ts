// @gdhk/domain — the pure core of the GD–HK coordination ledger: event schemas, the side
// item decider, and the joint view as a pure function of the two side streams.

export {
  SIDES,
  STATUSES,
  DECISION_KINDS,
  ROLES,
  EVENT_TYPES,
  CURRENT_SCHEMA_VERSION,
  Side,
  SideStatus,
  DecisionKind,
  Role,
  ItemId,
  UtcInstant,
  CalendarDate,
  Department,
  DecisionId,
  Actor,
  CommitLink,
  StatusReportedData,
  DepartmentData,
  DecisionProposedData,
  DecisionAnsweredData,
  DecisionWithdrawnData,
  ForkedRecord,
  StreamRepairedData,
  StatusReportedEvent,
  DepartmentAssignedEvent,
  DepartmentUnassignedEvent,
  DecisionProposedEvent,
  DecisionApprovedEvent,
  DecisionRejectedEvent,
  DecisionWithdrawnEvent,
  StreamRepairedEvent,
  ItemEvent,
  otherSide,
} from './events.ts';
export type { EventType, ItemEventOf, DomainEvent, EventEnvelope } from './events.ts';

export { parseEvent, createUpcasterRegistry, defaultUpcasterRegistry } from './upcasting.ts';
export type { RawEvent, Upcaster, UpcasterRegistry } from './upcasting.ts';

export {
  StatusReportBody,
  AssignmentBody,
  ProposeDecisionBody,
  DecisionProposal,
  DecisionAnswerBody,
  RepairBody,
  COMMAND_TYPES,
} from './commands.ts';
export type { Command, CommandType, CommandMeta } from './commands.ts';

export { DomainError, DOMAIN_ERROR_CODES, describeErrorCode, isDomainError, isDomainErrorCode } from './errors.ts';
export type { DomainErrorCode, ErrorKind, ErrorCodeDescription } from './errors.ts';

export { initialSideState, evolveSide, foldSide, compareEventOrder } from './side.ts';
export type { SideItemState, StatusReport, DecisionFact, EventPosition } from './side.ts';

export { decide } from './decide.ts';
export type { DecideContext } from './decide.ts';

export { DECISION_STATES } from './decisions.ts';
export type { DecisionState, DecisionView, DecisionAnswer, DecisionResolution } from './decisions.ts';

export { JOINT_STATUSES, joint, jointView, jointStatusOf, isOverdue } from './joint.ts';
export type { JointItem, JointStatus, JointView, SidePart } from './joint.ts';

export { compareInstants, hongKongDate, isCalendarDate, isInstant } from './time.ts';
