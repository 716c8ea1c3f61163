import { useEffect, useRef } from 'react';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import './markers.css';
import { TranslateModule } from './translate.ts';

interface Canvas {
  addMarker(id: string, marker: string): void;
  zoom(level: string | number): number;
  viewbox(box?: { x: number; y: number; width: number; height: number }): { x: number; y: number; width: number; height: number; inner: { x: number; y: number } };
}

interface ElementRegistry {
  get(id: string): unknown;
}

/** A read-only diagram with markers: { elementId: ['zcps-done', …] }. */
export function DiagramViewer({ xml, markers, height = 520, testId }: { xml: string; markers: Record<string, string[]>; height?: number; testId?: string }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    const viewer = new NavigatedViewer({ container: container.current, additionalModules: [TranslateModule] });
    let alive = true;
    void (async () => {
      try {
        await viewer.importXML(xml);
        if (!alive) return;
        const canvas = viewer.get('canvas') as Canvas;
        const registry = viewer.get('elementRegistry') as ElementRegistry;
        for (const [id, classes] of Object.entries(markers)) {
          if (!registry.get(id)) continue;
          for (const c of classes) canvas.addMarker(id, c);
        }
        // fit, but keep labels readable: a long flow starts at its left end
        if (canvas.zoom('fit-viewport') < 0.6) {
          canvas.zoom(0.7);
          const box = canvas.viewbox();
          canvas.viewbox({ ...box, x: box.inner.x - 30, y: box.inner.y - 30 });
        }
      } catch (err) {
        console.error(err);
      }
    })();
    return () => {
      alive = false;
      viewer.destroy();
    };
  }, [xml, markers]);
  return <div ref={container} className="zcps-canvas" style={{ height }} data-testid={testId} />;
}
