import { describe, expect, it } from 'vitest';
import { filterTree } from '../../src/gateway/filter-tree.js';
import { createReasons } from '../../src/gateway/reasons.js';

const scope = (items: number[]) => ({ scope: { name: 'todo', version: '1.0.0', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', items });

describe('filterTree', () => {
  it('keeps what keep returns, weighs it by size, and drops scopes and resources left empty', () => {
    const resources = [
      { resource: { attributes: [], droppedAttributesCount: 0, entityRefs: [] }, schemaUrl: '', scopes: [scope([1, 2, 3]), scope([5])] },
      { schemaUrl: '', scopes: [scope([7])] },
    ];
    const reasons = createReasons('items');
    const { kept, accepted } = filterTree(resources, 'scopes', 'items', (n: number) => (n % 2 === 1 ? n * 10 : undefined), reasons, (n) => n / 10);
    expect(kept).toHaveLength(2);
    expect(kept[0]?.scopes.map((s) => s.items)).toEqual([[10, 30], [50]]);
    expect(kept[1]?.scopes.map((s) => s.items)).toEqual([[70]]);
    expect(accepted).toBe(1 + 3 + 5 + 7);
    const none = filterTree(resources, 'scopes', 'items', () => undefined, reasons);
    expect(none).toEqual({ kept: [], accepted: 0 });
  });

  it('reduces the resource and scope of what it keeps, and notes what it removed', () => {
    const reasons = createReasons('items');
    const resources = [{
      resource: { attributes: [{ key: 'host.name', value: { stringValue: 'laptop' } }], droppedAttributesCount: 0, entityRefs: [] },
      schemaUrl: 'https://example.com/smuggled',
      scopes: [scope([1])],
    }];
    const { kept } = filterTree(resources, 'scopes', 'items', (n: number) => n, reasons);
    expect(kept[0]?.resource?.attributes).toEqual([]);
    expect(kept[0]?.schemaUrl).toBe('');
    expect(reasons.message()).toContain('host.name');
  });
});
