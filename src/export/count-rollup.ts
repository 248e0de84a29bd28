import type { Counter } from '@opentelemetry/api';
import type { WireAttributes } from '../privacy/validator.js';

/** Attribute sets one counter keeps apart within a collection interval (the SDK's own cardinality limit). */
export const MAX_ATTRIBUTE_SETS = 2000;

interface Total {
  readonly attributes: WireAttributes;
  value: number;
}

/** Per attribute name, per value: the next level of the lookup tree, or the total at its end. */
interface Node {
  readonly next: Map<string, Map<unknown, Node>>;
  total?: Total;
}

/**
 * Increments of one OTel counter summed per attribute set until the next collection, then added
 * to the counter once per set. `counter.add` makes the SDK sort and serialise the attributes on
 * every call; here the set is found by walking a tree of `Map`s keyed by the attributes' own names
 * and values (no string built, `true` and `'true'` stay apart), so a call costs a few lookups and
 * the SDK sees two `add`s per set and interval at most — the same points, start times and
 * cardinality limit as if every call had gone to it. `drain` must run before each collection.
 */
export class CountRollup {
  private root: Node = { next: new Map() };
  private totals: Total[] = [];

  constructor(private readonly counter: Counter) {}

  /** Adds `value` to the total of `attributes`. */
  add(value: number, attributes: WireAttributes): void {
    let node: Node | undefined = this.root;
    for (const name in attributes) {
      node = node.next.get(name)?.get(attributes[name]);
      if (node === undefined) break;
    }
    const total = node?.total;
    if (total !== undefined) {
      total.value += value;
      return;
    }
    // A set's first call of the interval goes to the SDK itself, so a new series starts when it
    // really did (the SDK stamps a new stream with its first recording); later calls are summed.
    this.counter.add(value, attributes);
    this.insert(attributes);
  }

  /** Hands the interval's totals to the counter and starts the next interval empty. */
  drain(): void {
    const totals = this.totals;
    this.root = { next: new Map() };
    this.totals = [];
    for (const total of totals) if (total.value > 0) this.counter.add(total.value, total.attributes);
  }

  /** Remembers a set for the rest of the interval; past the limit its calls keep going to the counter (memory stays bounded). */
  private insert(attributes: WireAttributes): void {
    if (this.totals.length >= MAX_ATTRIBUTE_SETS) return;
    const total: Total = { attributes: { ...attributes }, value: 0 };
    this.totals.push(total);
    let node = this.root;
    for (const name in attributes) {
      let byValue = node.next.get(name);
      if (byValue === undefined) node.next.set(name, (byValue = new Map()));
      let child = byValue.get(attributes[name]);
      if (child === undefined) byValue.set(attributes[name], (child = { next: new Map() }));
      node = child;
    }
    node.total = total;
  }
}
