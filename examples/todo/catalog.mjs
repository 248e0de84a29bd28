// The todo CLI's telemetry catalog: the complete list of what it may ever send.
import { attr, defineCatalog, lifecycleEvents, outcome } from 'optel';

export const catalog = defineCatalog({
  app: 'todo',
  docs: {
    destination: 'The OTLP endpoint run by the todo maintainers (configurable with OTEL_EXPORTER_OTLP_ENDPOINT).',
    retention: 'Raw events are kept for 30 days, aggregates for 13 months.',
    contact: 'https://example.com/todo/issues',
  },
  events: {
    // Built-in: first run, upgrades (major.minor), first use of each command, daily active installations.
    ...lifecycleEvents('todo', { commands: ['add', 'list', 'done', 'fail'] }),
    'todo.cli.invoked': {
      description: 'A todo command ran.',
      duration: true,
      attributes: {
        'cli.command': attr.enum(['add', 'list', 'done', 'fail'], { description: 'Which command ran.' }),
        ...outcome(['TodoNotFoundError', 'SimulatedFailure']),
        'process.exit.code': attr.int({ min: 0, max: 255 }, { description: 'Exit code of the command.' }),
      },
    },
    'todo.item.added': {
      description: 'An item was added to the list.',
      attributes: {
        'text.length': attr.bucket([0, 10, 40, 100], { description: 'Length of the item text, bucketed.' }),
        'list.size': attr.bucket([0, 1, 10, 100], { description: 'Items on the list afterwards, bucketed.' }),
        text: attr.text({ maxLength: 80 }, { description: 'The item text, redacted and capped (events tier only).' }),
      },
    },
    'todo.item.completed': {
      description: 'An item was marked done.',
      attributes: {
        'item.age': attr.bucket([0, 60, 3600, 86400], { description: 'Seconds since the item was added, bucketed.' }),
        'item.id': attr.hashed({ description: 'The item, hashed with the installation salt, to join events.' }),
      },
    },
    'todo.list.viewed': {
      description: 'The list was printed.',
      attributes: {
        filter: attr.enum(['all', 'open'], { description: 'Which items were shown.' }),
        'list.size': attr.bucket([0, 1, 10, 100], { description: 'Items shown, bucketed.' }),
      },
    },
  },
});

/** The app's consent defaults, shared with createTelemetry and stated in TELEMETRY.md. */
export const defaults = { metrics: true, events: false, traces: false, flush: 'hourly' };

export default catalog;
