import { useEffect, useMemo, useState } from 'react';
import { Alert, Box, Chip, Grid, List, ListItem, ListItemText, Typography } from '@mui/material';
import BpmnModdle from 'bpmn-moddle';
import { diff } from 'bpmn-js-differ';
import { DiagramViewer } from '../../bpmn/DiagramViewer.tsx';

interface Changes {
  added: Array<{ id: string; type: string; name?: string }>;
  removed: Array<{ id: string; type: string; name?: string }>;
  changed: Array<{ id: string; type: string; name?: string; attrs: Record<string, { oldValue: unknown; newValue: unknown }> }>;
  layout: string[];
}

type Moddle = { $type: string; id?: string; name?: string };

async function definitions(xml: string, moddleDescriptor: Record<string, unknown>) {
  const moddle = new BpmnModdle({ zcps: moddleDescriptor });
  const { rootElement } = await moddle.fromXML(xml);
  return rootElement;
}

const TYPE_NAMES: Record<string, string> = {
  'bpmn:UserTask': '用户任务',
  'bpmn:ServiceTask': '服务任务',
  'bpmn:CallActivity': '调用活动',
  'bpmn:SequenceFlow': '顺序流',
  'bpmn:ExclusiveGateway': '排他网关',
  'bpmn:ParallelGateway': '并行网关',
  'bpmn:StartEvent': '开始事件',
  'bpmn:EndEvent': '结束事件',
  'bpmn:Process': '流程',
};

const describe = (e: { id: string; type: string; name?: string }) => `${TYPE_NAMES[e.type] ?? e.type}「${e.name ?? e.id}」`;
const show = (v: unknown) => (v == null || v === '' ? '（空）' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Side-by-side view of what changed between two versions of a diagram (bpmn-js-differ). */
export function DiffView({ oldXml, newXml, oldLabel, newLabel, moddleDescriptor }: { oldXml: string; newXml: string; oldLabel: string; newLabel: string; moddleDescriptor: Record<string, unknown> }) {
  const [changes, setChanges] = useState<Changes | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    void (async () => {
      try {
        const [a, b] = await Promise.all([definitions(oldXml, moddleDescriptor), definitions(newXml, moddleDescriptor)]);
        const result = diff(a, b) as {
          _added: Record<string, Moddle>;
          _removed: Record<string, Moddle>;
          _changed: Record<string, { model: Moddle; attrs: Record<string, { oldValue: unknown; newValue: unknown }> }>;
          _layoutChanged: Record<string, Moddle>;
        };
        const flat = (m: Moddle) => ({ id: m.id ?? '', type: m.$type, ...(m.name ? { name: m.name } : {}) });
        if (!alive) return;
        setChanges({
          added: Object.values(result._added).map(flat),
          removed: Object.values(result._removed).map(flat),
          // bpmn-js-differ 3.2 hands jsondiffpatch's [old, new] to changed(model, key, newValue, oldValue):
          // its `oldValue` holds the new value and the other way round, so swap them back here
          changed: Object.values(result._changed).map((c) => ({
            ...flat(c.model),
            attrs: Object.fromEntries(Object.entries(c.attrs).map(([k, v]) => [k, { oldValue: v.newValue, newValue: v.oldValue }])),
          })),
          layout: Object.keys(result._layoutChanged),
        });
      } catch (err) {
        setError((err as Error).message);
      }
    })();
    return () => {
      alive = false;
    };
  }, [oldXml, newXml, moddleDescriptor]);

  const oldMarkers = useMemo(() => {
    const m: Record<string, string[]> = {};
    for (const e of changes?.removed ?? []) m[e.id] = ['zcps-removed'];
    for (const e of changes?.changed ?? []) m[e.id] = ['zcps-changed'];
    return m;
  }, [changes]);
  const newMarkers = useMemo(() => {
    const m: Record<string, string[]> = {};
    for (const id of changes?.layout ?? []) m[id] = ['zcps-layout'];
    for (const e of changes?.added ?? []) m[e.id] = ['zcps-added'];
    for (const e of changes?.changed ?? []) m[e.id] = ['zcps-changed'];
    return m;
  }, [changes]);

  if (error) return <Alert severity="error">无法比较：{error}</Alert>;
  const count = changes ? changes.added.length + changes.removed.length + changes.changed.length : 0;
  return (
    <Box data-testid="diff-view">
      <Grid container spacing={1}>
        <Grid size={{ xs: 12, md: 6 }}>
          <Typography variant="subtitle2">{oldLabel}</Typography>
          {changes ? <DiagramViewer xml={oldXml} markers={oldMarkers} height={420} /> : null}
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Typography variant="subtitle2">{newLabel}</Typography>
          {changes ? <DiagramViewer xml={newXml} markers={newMarkers} height={420} /> : null}
        </Grid>
      </Grid>
      {changes ? (
        <Box sx={{ mt: 1 }}>
          <Typography variant="subtitle1">共 {count} 处变化{changes.layout.length ? `，另有 ${changes.layout.length} 处仅布局调整` : ''}</Typography>
          <List dense data-testid="diff-list">
            {changes.added.map((e) => (
              <ListItem key={`a-${e.id}`}>
                <Chip size="small" color="success" label="新增" sx={{ mr: 1 }} />
                <ListItemText primary={describe(e)} />
              </ListItem>
            ))}
            {changes.removed.map((e) => (
              <ListItem key={`r-${e.id}`}>
                <Chip size="small" color="error" label="删除" sx={{ mr: 1 }} />
                <ListItemText primary={describe(e)} />
              </ListItem>
            ))}
            {changes.changed.map((e) => (
              <ListItem key={`c-${e.id}`}>
                <Chip size="small" color="warning" label="修改" sx={{ mr: 1 }} />
                <ListItemText
                  primary={describe(e)}
                  secondary={Object.entries(e.attrs)
                    .map(([attr, v]) => `${attr}：${show(v.oldValue)} → ${show(v.newValue)}`)
                    .join('；')}
                />
              </ListItem>
            ))}
          </List>
        </Box>
      ) : null}
    </Box>
  );
}
