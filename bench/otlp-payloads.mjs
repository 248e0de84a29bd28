// Metric export requests shaped like the ones optel's sender makes, for the gateway benchmarks.

/** 64 distinct exports shaped like the SDK's: a counter and a duration histogram per attribute set. */
export function payloads(points) {
  // Only commands the todo catalog declares: every point is allowed, as an honest client's are.
  const commands = ['add', 'list', 'done', 'fail'];
  const bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
  const kv = (key, v) => ({ key, value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : { intValue: String(v) } });
  const out = [];
  for (let r = 0; r < 64; r++) {
    const start = String(1_700_000_000_000_000_000n + BigInt(r) * 60_000_000_000n);
    const end = String(1_700_000_060_000_000_000n + BigInt(r) * 60_000_000_000n);
    const sums = [];
    const hists = [];
    for (let i = 0; i < points / 2; i++) {
      const ok = i % 7 !== 0;
      const attrs = [kv('cli.command', commands[i % 4]), kv('success', ok), kv('process.exit.code', ok ? 0 : 1 + (i % 200))];
      if (!ok) attrs.push(kv('error.type', 'ENOENT'));
      sums.push({ attributes: attrs, startTimeUnixNano: start, timeUnixNano: end, asInt: String(1 + (i % 9)), exemplars: [], flags: 0 });
      hists.push({ attributes: attrs, startTimeUnixNano: start, timeUnixNano: end, count: '3', sum: 0.42, min: 0.06, max: 0.2,
        bucketCounts: bounds.concat([0]).map((_, j) => (j === 4 ? '2' : j === 5 ? '1' : '0')), explicitBounds: bounds, exemplars: [], flags: 0 });
    }
    const id = `00000000-0000-4000-8000-${String(r).padStart(12, '0')}`;
    const resource = { attributes: [kv('service.name', 'todo'), kv('service.version', '1.4.2'), kv('app.installation.id', id),
      kv('os.type', 'linux'), kv('host.arch', 'amd64'), kv('process.runtime.name', 'nodejs'), kv('process.runtime.version', '20.20.2'),
      kv('telemetry.sdk.name', 'optel'), kv('telemetry.sdk.language', 'nodejs'), kv('telemetry.sdk.version', '0.1.0')],
    droppedAttributesCount: 0, entityRefs: [] };
    out.push({ resourceMetrics: [{ resource, schemaUrl: '', scopeMetrics: [{ scope: { name: 'optel', version: '', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', metrics: [
      { name: 'todo.cli.invoked.count', description: 'A todo command ran.', unit: '{event}', metadata: [], sum: { dataPoints: sums, aggregationTemporality: 1, isMonotonic: true } },
      { name: 'todo.cli.invoked.duration', description: 'A todo command ran.', unit: 's', metadata: [], histogram: { dataPoints: hists, aggregationTemporality: 1 } },
    ] }] }] });
  }
  return out;
}
