import type { OtlpResource, OtlpScope } from '../otlp/types.js';
import { filterResource } from './filter-resource.js';
import { filterSchemaUrl, filterScope } from './filter-scope.js';
import type { Reasons } from './reasons.js';

/** What a filter kept: the request to forward and how many items it still holds. */
export interface Filtered<R> {
  readonly request: R;
  readonly accepted: number;
}

type Scoped<I, K extends string> = { scope?: OtlpScope; schemaUrl: string } & { [P in K]: I[] };
type Resourced<I, S extends string, K extends string> = { resource?: OtlpResource; schemaUrl: string } & { [P in S]: Scoped<I, K>[] };

/**
 * One signal's resource → scope → item lists rebuilt with what `keep` returns for each item
 * (undefined drops it; `size` says how many accepted items it stands for), every resource and scope
 * reduced by `filterResource` / `filterScope`, and levels left empty dropped.
 */
export function filterTree<I, S extends string, K extends string>(
  resources: readonly Resourced<I, S, K>[],
  scopesKey: S,
  itemsKey: K,
  keep: (item: I) => I | undefined,
  reasons: Reasons,
  size: (item: I) => number = () => 1,
): { kept: Resourced<I, S, K>[]; accepted: number } {
  let accepted = 0;
  const kept: Resourced<I, S, K>[] = [];
  for (const resource of resources) {
    const scopes: Scoped<I, K>[] = [];
    for (const scope of resource[scopesKey]) {
      const items: I[] = [];
      for (const item of scope[itemsKey]) {
        const out = keep(item);
        if (out === undefined) continue;
        items.push(out);
        accepted += size(out);
      }
      // A scope sent empty is dropped without a reason; one emptied by the filter was noted already.
      if (items.length === 0) {
        reasons.edit();
        continue;
      }
      scopes.push({ scope: filterScope(scope.scope, reasons), [itemsKey]: items, schemaUrl: filterSchemaUrl(scope.schemaUrl, reasons) } as Scoped<I, K>);
    }
    if (scopes.length === 0) {
      reasons.edit();
      continue;
    }
    kept.push({
      resource: filterResource(resource.resource, reasons), [scopesKey]: scopes, schemaUrl: filterSchemaUrl(resource.schemaUrl, reasons),
    } as Resourced<I, S, K>);
  }
  return { kept, accepted };
}
