import type { ObservableResult } from '@opentelemetry/api';
import type { WireAttributes } from '../privacy/validator.js';

/** Attribute sets one counter keeps apart; the SDK's default cardinality limit, with the same overflow set. */
export const MAX_ATTRIBUTE_SETS = 2000;
const OVERFLOW: WireAttributes = { 'otel.metric.overflow': true };

interface Total {
  readonly attributes: WireAttributes;
  value: number;
  dirty: boolean;
}

/** Per attribute name, per value: the next level of the lookup tree, or the total at its end. */
interface Node {
  readonly next: Map<string, Map<unknown, Node>>;
  total?: Total;
}

/**
 * Running totals of one monotonic counter per attribute set, reported through an ObservableCounter.
 * A synchronous `counter.add` makes the SDK sort and serialise the attributes on every call; here
 * the set is found by walking a tree of `Map`s keyed by the attributes' own names and values (no
 * string built, `true` and `'true'` stay apart), so the per-call cost is a few lookups and the SDK
 * turns the cumulative totals into the same delta points at collection.
 */
export class CountRollup {
  private readonly root: Node = { next: new Map() };
  private readonly canonical = new Map<string, Total>();
  private readonly changed: Total[] = [];
  private overflow: Total | undefined;

  /** Adds `value` to the total of `attributes`. */
  add(value: number, attributes: WireAttributes): void {
    let node: Node | undefined = this.root;
    for (const name in attributes) {
      node = node.next.get(name)?.get(attributes[name]);
      if (node === undefined) break;
    }
    const total = node?.total ?? this.insert(attributes);
    total.value += value;
    if (!total.dirty) {
      total.dirty = true;
      this.changed.push(total);
    }
  }

  /** Reports the totals that moved since the last collection; the SDK keeps the others' last value. */
  observe(result: ObservableResult): void {
    for (const total of this.changed) {
      result.observe(total.value, total.attributes);
      total.dirty = false;
    }
    this.changed.length = 0;
  }

  /**
   * First sight of a key order: the same set in another order shares one total (the SDK would keep
   * only one observation of it). Past the limit nothing new is stored, so memory stays bounded.
   */
  private insert(attributes: WireAttributes): Total {
    const key = JSON.stringify(Object.keys(attributes).sort().map((name) => [name, attributes[name]]));
    let total = this.canonical.get(key);
    if (total === undefined) {
      if (this.canonical.size >= MAX_ATTRIBUTE_SETS - 1) {
        this.overflow ??= { attributes: OVERFLOW, value: 0, dirty: false };
        return this.overflow;
      }
      total = { attributes: { ...attributes }, value: 0, dirty: false };
      this.canonical.set(key, total);
    }
    let node = this.root;
    for (const name in attributes) {
      let byValue = node.next.get(name);
      if (byValue === undefined) node.next.set(name, (byValue = new Map()));
      let child = byValue.get(attributes[name]);
      if (child === undefined) byValue.set(attributes[name], (child = { next: new Map() }));
      node = child;
    }
    node.total = total;
    return total;
  }
}
