declare module 'bpmn-js-bpmnlint';
declare module 'bpmn-js-differ';
declare module 'bpmn-js-properties-panel';
declare module '@bpmn-io/properties-panel';
declare module '@bpmn-io/properties-panel/preact';
declare module 'bpmn-js/lib/util/ModelUtil' {
  interface ModdleObject {
    $type: string;
    $parent?: ModdleObject;
    get(name: string): unknown;
    set(name: string, value: unknown): void;
    [key: string]: unknown;
  }
  export function is(element: unknown, type: string): boolean;
  export function getBusinessObject(element: unknown): ModdleObject;
}
declare module 'bpmn-js/lib/Modeler';
declare module 'bpmn-js/lib/NavigatedViewer';
declare module 'bpmn-moddle';
