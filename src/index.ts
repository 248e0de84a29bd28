// The public entry: what a CLI imports at start-up. It must not import the OTel SDK.
export { createTelemetry } from './instruments/telemetry.js';
export type {
  Telemetry, TelemetryOptions, TelemetryDefaults, TelemetryStatus, TrackOptions, Outcome, MethodDecorator,
} from './instruments/telemetry.js';
export type { EventRecord } from './recorder/event-record.js';
export type { WireAttributes } from './privacy/validator.js';
export type { WireValue } from './privacy/rules.js';
export type { Env } from './config/env-layer.js';
export { runTelemetryCommand, formatStatus } from './instruments/consent-command.js';
export type { CommandResult } from './instruments/consent-command.js';
export { errorClass } from './instruments/error-class.js';
export { askConsent } from './consent/ask-consent.js';
export type { AskConsentOptions, AskConsentResult, AskConsentReason } from './consent/ask-consent.js';
export type { PromptInput, PromptOutput } from './consent/can-prompt.js';
export { consentScreen } from './consent/consent-screen.js';
export type { ConsentScreen, ConsentScreenOptions } from './consent/consent-screen.js';

export { attr, defineCatalog, outcome, DEFAULT_ERROR_TYPES } from './semconv/index.js';
export { lifecycleEvents } from './semconv/lifecycle.js';
export type {
  Catalog, CatalogDocs, EventDefinition, EventName, EventAttributes, TimedEventName, Tier, AttributeTier,
  AttributeDefinition, AttributeInput, AttributeOptions, EnumAttribute, BooleanAttribute, IntAttribute,
  BucketAttribute, SemverAttribute, HashedAttribute, TextAttribute,
} from './semconv/index.js';
export {
  ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION, ATTR_APP_INSTALLATION_ID, ATTR_OS_TYPE, ATTR_HOST_ARCH,
  ATTR_PROCESS_RUNTIME_NAME, ATTR_PROCESS_RUNTIME_VERSION, ATTR_EVENT_NAME, ATTR_ERROR_TYPE, ATTR_PROCESS_EXIT_CODE,
  ERROR_TYPE_VALUE_OTHER, DURATION_BUCKETS_SECONDS,
} from './semconv/index.js';

export { redact, findSensitive } from './privacy/redact.js';
export type { RedactionKind } from './privacy/redact.js';

export { resolveConfig, PRECEDENCE } from './config/resolve.js';
export type { ResolvedConfig, ExportConfig, Explanation } from './config/resolve.js';
export type { Layer, LayerName, Settings, Flush, Protocol, ExporterKind, Signal } from './config/settings.js';
export type { NoticeOptions } from './config/notice.js';
export type { PathOverrides, TelemetryPaths } from './config/paths.js';
export type { ConsentSource } from './config/user-choice.js';
