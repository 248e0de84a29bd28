import { attr } from './attributes.js';
import type { EventDefinition } from './catalog.js';

/** The suffixes of the built-in lifecycle events, after `<app>.`. */
export const LIFECYCLE = {
  firstRun: 'install.first_run',
  upgraded: 'install.upgraded',
  active: 'install.active',
  adopted: 'command.adopted',
} as const;

type Lifecycle<App extends string> = {
  [K in `${App}.${(typeof LIFECYCLE)[keyof typeof LIFECYCLE]}`]: EventDefinition;
};

/**
 * Built-in lifecycle events an author switches on by spreading them into the catalog: the first
 * run of an installation, version upgrades (as `major.minor` buckets), the first use of each
 * command (`commands` is the closed list; others count as `other`) and one "active" mark per
 * installation per UTC day. They are ordinary catalog events: documented by `optel docs`,
 * checked by the gateway, subject to the same consent. Metrics tier only.
 */
export function lifecycleEvents<const App extends string>(app: App, options: { commands?: readonly string[] } = {}): Lifecycle<App> {
  const commands = [...new Set(options.commands ?? [])];
  const version = (what: string) => attr.semver({ precision: 'minor', description: `Version ${what}, as major.minor.` });
  const events: Record<string, EventDefinition> = {
    [`${app}.${LIFECYCLE.firstRun}`]: { description: 'The first run of a new installation.', tiers: ['metrics'] },
    [`${app}.${LIFECYCLE.upgraded}`]: {
      description: 'The first run after the app changed version.',
      tiers: ['metrics'],
      attributes: { 'version.from': version('before'), 'version.to': version('after') },
    },
    [`${app}.${LIFECYCLE.active}`]: { description: 'Marks an installation active once per UTC day (daily active installations).', tiers: ['metrics'] },
    [`${app}.${LIFECYCLE.adopted}`]: {
      description: 'The first time an installation used a command.',
      tiers: ['metrics'],
      attributes: {
        'cli.command': attr.enum(commands.length ? commands : ['other'], { fallback: 'other', description: 'The command used for the first time.' }),
      },
    },
  };
  return events as Lifecycle<App>;
}
