#!/usr/bin/env node
// The reference CLI: a tiny todo list, instrumented with optel as a real author would.
import { Command } from 'commander';
import { instrumentCommander } from 'optel/commander';
import { load, save, TodoNotFoundError } from './store.mjs';
import { telemetry } from './telemetry.mjs';

class SimulatedFailure extends Error {
  name = 'SimulatedFailure';
}

const program = new Command('todo').description('a tiny todo list').version('1.4.2');

program
  .command('add')
  .argument('<text...>', 'what to do')
  .action((words) => {
    const text = words.join(' ');
    const db = load();
    const item = { id: db.next++, text, done: false, createdAt: Date.now() };
    db.items.push(item);
    save(db);
    telemetry.track('todo.item.added', { 'text.length': text.length, 'list.size': db.items.length, text });
    console.log(`added #${item.id}: ${text}`);
  });

program
  .command('list')
  .option('--open', 'only items not done')
  .action((options) => {
    const items = load().items.filter((i) => !options.open || !i.done);
    for (const i of items) console.log(`${i.done ? '[x]' : '[ ]'} #${i.id} ${i.text}`);
    if (items.length === 0) console.log('nothing to do');
    telemetry.track('todo.list.viewed', { filter: options.open ? 'open' : 'all', 'list.size': items.length });
  });

program
  .command('done')
  .argument('<id>', 'item number')
  .action((id) => {
    const db = load();
    const item = db.items.find((i) => String(i.id) === id);
    if (!item) throw new TodoNotFoundError(`no item #${id}`);
    item.done = true;
    save(db);
    telemetry.track('todo.item.completed', { 'item.age': (Date.now() - item.createdAt) / 1000, 'item.id': String(item.id) });
    console.log(`done #${item.id}`);
  });

program
  .command('fail')
  .description('always fails (exercises the error path)')
  .action(() => {
    throw new SimulatedFailure('this command always fails');
  });

instrumentCommander(program, telemetry, { event: 'todo.cli.invoked' });

try {
  await program.parseAsync();
} catch (error) {
  console.error(`todo: ${error.message}`);
  process.exitCode = 1;
}
