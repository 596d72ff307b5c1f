import type { HrisConnector } from '../../connectors/connector';
import { ConnectorRegistry, registeredConnectors } from './connector-registry';

const fake = (id: string) => ({ tool: { id } }) as unknown as HrisConnector<unknown>;

describe('ConnectorRegistry', () => {
  const registry = new ConnectorRegistry({ b: fake('b'), a: fake('a') });

  it('resolves registered tools and nothing else (not even Object.prototype keys)', () => {
    expect(registry.find('a')?.tool.id).toBe('a');
    expect(registry.find('toString')).toBeUndefined();
    expect(registry.find('c')).toBeUndefined();
    expect(() => registry.get('c')).toThrow(/No connector registered for tool "c"/);
  });

  it('keeps registration order; the first tool is the default', () => {
    expect(registry.ids()).toEqual(['b', 'a']);
    expect(registry.all().map((c) => c.tool.id)).toEqual(['b', 'a']);
    expect(registry.defaultTool()).toBe('b');
    expect(() => new ConnectorRegistry({}).defaultTool()).toThrow(/No connector/);
  });

  it("defaults to connectors/registry.ts, whose keys are the connectors' tool ids", () => {
    for (const [id, c] of Object.entries(registeredConnectors())) expect(c.tool.id).toBe(id);
  });
});
