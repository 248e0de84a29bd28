// The todo list itself: a JSON file named by TODO_DB (default ~/.todo.json).
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const file = () => process.env.TODO_DB || join(homedir(), '.todo.json');

/** Raised when `done` names an item that does not exist. */
export class TodoNotFoundError extends Error {
  name = 'TodoNotFoundError';
}

export function load() {
  try {
    return JSON.parse(readFileSync(file(), 'utf8'));
  } catch {
    return { next: 1, items: [] };
  }
}

export function save(db) {
  writeFileSync(file(), `${JSON.stringify(db, null, 2)}\n`);
}
