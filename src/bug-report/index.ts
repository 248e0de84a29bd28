// Bug reports and replay: loaded only when a user asks for a report or a test replays one, never by
// `track()` or the exit path.
export { createBugReport, BUG_REPORT_FORMAT, MAX_REPORT_EVENTS } from './bundle.js';
export type { BugReport, BugReportPlatform, CreateBugReportOptions } from './bundle.js';
export type { BugReportConfig, BugReportExplanation } from './config-section.js';
export { writeBugReport, readBugReport, bugReportFileName } from './file.js';
export type { WrittenBugReport } from './file.js';
export { describeBugReport } from './describe.js';
export { replay } from './replay.js';
export type { ReplayHandler, ReplayHandlers, ReplayOptions, ReplayResult } from './replay.js';
export { bugReportFromTelemetry, runBugReport } from './command.js';
export type { BugReportCommandOptions, BugReportCommandResult, BugReportSource, RunBugReportOptions } from './command.js';
export { readHistory } from '../history/read.js';
export type { ReadHistoryOptions } from '../history/read.js';
export type { EventRecord } from '../recorder/event-record.js';
