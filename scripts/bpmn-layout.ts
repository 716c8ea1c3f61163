/**
 * Authoring aid: takes a BPMN file written by hand without diagram information, links each flow
 * node to its sequence flows (incoming/outgoing) and lays it out with bpmn-auto-layout, so the
 * result lints clean and opens in the bpmn-js editor.
 *
 *   npx tsx scripts/bpmn-layout.ts <in.bpmn> [out.bpmn]
 */
import fs from 'node:fs';
import BpmnModdle from 'bpmn-moddle';
import { layoutProcess } from 'bpmn-auto-layout';
import { moddleOptions } from '../engine/compile.ts';

interface El {
  $type: string;
  id?: string;
  flowElements?: El[];
  sourceRef?: El;
  targetRef?: El;
  incoming?: El[];
  outgoing?: El[];
  rootElements?: El[];
  diagrams?: unknown[];
}

export async function layoutBpmn(xml: string): Promise<string> {
  const moddle = new BpmnModdle(moddleOptions);
  const { rootElement } = (await moddle.fromXML(xml)) as unknown as { rootElement: El };
  const link = (container: El) => {
    const flows = (container.flowElements ?? []).filter((e) => e.$type === 'bpmn:SequenceFlow');
    for (const node of container.flowElements ?? []) {
      if (node.$type === 'bpmn:SequenceFlow') continue;
      node.incoming = flows.filter((f) => f.targetRef === node);
      node.outgoing = flows.filter((f) => f.sourceRef === node);
      if (node.$type === 'bpmn:SubProcess') link(node);
    }
  };
  for (const root of rootElement.rootElements ?? []) if (root.$type === 'bpmn:Process') link(root);
  rootElement.diagrams = [];
  const { xml: linked } = await moddle.toXML(rootElement as never, { format: true });
  return layoutProcess(linked);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const [input, output] = process.argv.slice(2);
  if (!input) {
    console.error('用法: npx tsx scripts/bpmn-layout.ts <in.bpmn> [out.bpmn]');
    process.exit(2);
  }
  const result = await layoutBpmn(fs.readFileSync(input, 'utf8'));
  fs.writeFileSync(output ?? input, result);
  console.log(`已生成布局: ${output ?? input}`);
}
