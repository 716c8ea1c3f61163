import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List,
  ListItemButton,
  ListItemText,
  Paper,
  Stack,
  Typography,
} from '@mui/material';
import { Loading, Title, useNotify } from 'react-admin';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import lintModule from 'bpmn-js-bpmnlint';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import '../../bpmn/markers.css';
import { api } from '../../lib/api.ts';
import { TranslateModule } from '../../bpmn/translate.ts';
import { ZcpsPropertiesProviderModule } from '../../bpmn/zcps-properties.ts';
import { editorLintConfig, type LintOptions } from '../../bpmn/lint.ts';
import { DiffView } from './DiffView.tsx';
import type { ApiResponse } from '../../api-types.ts';

type ProcessSummary = ApiResponse<'/api/process-definitions'>[number];
type Problem = ApiResponse<'/api/process-definitions', 'post'>['warnings'][number];

interface ModelerApi {
  importXML(xml: string): Promise<unknown>;
  saveXML(options: { format: boolean }): Promise<{ xml?: string }>;
  get(name: string): unknown;
  destroy(): void;
  on(event: string, cb: () => void): void;
}

const NEW_DIAGRAM = (key: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:zcps="http://zcps.gov.cn/schema/bpmn/1.0" id="${key}-definitions" targetNamespace="http://zcps.gov.cn/processes">
  <process id="${key}" name="新流程" isExecutable="true">
    <startEvent id="start" name="开始" />
  </process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="${key}">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="180" y="160" width="36" height="36" /></bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</definitions>`;

/** Room the palette takes on the canvas's left edge, in screen pixels. */
const PALETTE_PX = 130;

/**
 * Fits the diagram, but never so small that its labels cannot be read: then it starts at its
 * left end at a readable scale, clear of the palette (a flow drawn level by level is wide).
 */
function fitReadable(modeler: ModelerApi) {
  const canvas = modeler.get('canvas') as {
    zoom(v: string | number): number;
    viewbox(box?: { x: number; y: number; width: number; height: number }): { x: number; y: number; width: number; height: number; scale: number; inner: { x: number; y: number } };
  };
  const zoom = canvas.zoom('fit-viewport');
  if (zoom >= 0.7) return;
  const scale = 0.8;
  const { inner, width, height, scale: fitted } = canvas.viewbox();
  // the viewport's size in screen pixels, then in diagram units at the readable scale
  const screenWidth = width * fitted;
  const screenHeight = height * fitted;
  canvas.viewbox({ x: inner.x - PALETTE_PX / scale, y: inner.y - 40 / scale, width: screenWidth / scale, height: screenHeight / scale });
}

/** 流程编辑: bpmn-js with our properties and lint, drafts, deploy with the refusal on the canvas, and a diff. */
export function FlowEditor() {
  const { key = 'new' } = useParams<{ key: string }>();
  const isNew = key === 'new';
  const navigate = useNavigate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const canvasRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const modelerRef = useRef<ModelerApi | null>(null);
  const markedRef = useRef<string[]>([]);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [banner, setBanner] = useState<string | null>(null);
  const [diff, setDiff] = useState<{ oldXml: string; newXml: string; oldLabel: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const { data: moddle } = useQuery({ queryKey: ['moddle'], queryFn: () => api<Record<string, unknown>>('/api/process-definitions/moddle') });
  const { data: processes } = useQuery({ queryKey: ['process-definitions'], queryFn: () => api<ProcessSummary[]>('/api/process-definitions') });
  // the editor lints with deploy's rules against what the server knows; without an answer those checks are skipped
  const lintOptions = useQuery({ queryKey: ['lint-options'], queryFn: () => api<LintOptions>('/api/process-definitions/lint-options'), retry: false });
  const lintConfig = useMemo(() => (lintOptions.isPending ? null : editorLintConfig(lintOptions.data ?? null)), [lintOptions.isPending, lintOptions.data]);
  const summary = processes?.find((p) => p.key === key);
  const latest = summary?.latestVersion;

  const loadLatestXml = useCallback(async () => {
    if (!latest) return null;
    return (await api<{ xml: string }>(`/api/process-definitions/${encodeURIComponent(key)}/versions/${latest}`)).xml;
  }, [key, latest]);

  useEffect(() => {
    if (!moddle || !processes || !lintConfig || !canvasRef.current || !panelRef.current) return;
    const modeler = new BpmnModeler({
      container: canvasRef.current,
      propertiesPanel: { parent: panelRef.current },
      additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZcpsPropertiesProviderModule, lintModule, TranslateModule],
      moddleExtensions: { zcps: moddle },
      linting: { bpmnlint: lintConfig, active: true },
    }) as ModelerApi;
    modelerRef.current = modeler;
    void (async () => {
      let xml = isNew ? NEW_DIAGRAM(`flow_${Date.now().toString(36)}`) : await loadLatestXml();
      if (!isNew) {
        const draft = await api<ApiResponse<'/api/process-definitions/{key}/draft'>>(`/api/process-definitions/${encodeURIComponent(key)}/draft`).catch(() => null);
        const deployedAt = summary?.versions[0]?.deployedAt;
        if (draft && (!deployedAt || draft.updatedAt > deployedAt)) {
          xml = draft.xml;
          setBanner(`已载入草稿（保存于 ${new Date(draft.updatedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}），尚未部署`);
        }
      }
      if (xml) await modeler.importXML(xml);
      fitReadable(modeler);
    })().catch((err) => notify(`流程图无法打开：${(err as Error).message}`, { type: 'error' }));
    return () => {
      modeler.destroy();
      modelerRef.current = null;
    };
  }, [moddle, processes, lintConfig, isNew, key, loadLatestXml, notify, summary]);

  const currentXml = async () => (await modelerRef.current?.saveXML({ format: true }))?.xml ?? '';

  const mark = (ids: string[]) => {
    const modeler = modelerRef.current;
    if (!modeler) return;
    const canvas = modeler.get('canvas') as { addMarker(id: string, m: string): void; removeMarker(id: string, m: string): void };
    const registry = modeler.get('elementRegistry') as { get(id: string): unknown };
    for (const id of markedRef.current) if (registry.get(id)) canvas.removeMarker(id, 'zcps-problem');
    markedRef.current = ids.filter((id) => registry.get(id));
    for (const id of markedRef.current) canvas.addMarker(id, 'zcps-problem');
  };

  const select = (id: string | null) => {
    const modeler = modelerRef.current;
    if (!modeler || !id) return;
    const registry = modeler.get('elementRegistry') as { get(id: string): unknown };
    const element = registry.get(id);
    if (!element) return;
    (modeler.get('selection') as { select(e: unknown): void }).select(element);
    (modeler.get('canvas') as { scrollToElement(e: unknown): void }).scrollToElement(element);
  };

  const saveDraft = async () => {
    const xml = await currentXml();
    const draftKey = isNew ? (/<(?:bpmn:)?process[^>]*\sid="([^"]+)"/.exec(xml)?.[1] ?? 'new') : key;
    await api(`/api/process-definitions/${encodeURIComponent(draftKey)}/draft`, { method: 'PUT', json: { xml, baseVersion: latest ?? null } });
    notify('草稿已保存', { type: 'success' });
  };

  const deploy = async () => {
    setBusy(true);
    try {
      const xml = await currentXml();
      const res = await api<ApiResponse<'/api/process-definitions', 'post'>>('/api/process-definitions', { method: 'POST', json: { xml } });
      setProblems(res.warnings);
      mark([]);
      if (res.created) {
        await api(`/api/process-definitions/${encodeURIComponent(res.key)}/draft`, { method: 'DELETE' }).catch(() => undefined);
        notify(`已部署为第 ${res.version} 版`, { type: 'success' });
        setBanner(null);
        // a flow deployed for the first time may now be called by others
        await queryClient.invalidateQueries({ queryKey: ['lint-options'] });
      } else {
        notify(`内容与第 ${res.version} 版相同，未生成新版本`, { type: 'info' });
      }
      await queryClient.invalidateQueries({ queryKey: ['process-definitions'] });
      if (isNew) navigate(`/processes/${encodeURIComponent(res.key)}/edit`);
    } catch (err) {
      const body = (err as { body?: { details?: Problem[] } }).body;
      const list = Array.isArray(body?.details) ? body.details : [];
      setProblems(list);
      mark(list.filter((p) => p.severity === 'error' && p.elementId).map((p) => p.elementId as string));
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const compare = async () => {
    const oldXml = await loadLatestXml();
    if (!oldXml) {
      notify('还没有已部署的版本可对比', { type: 'info' });
      return;
    }
    setDiff({ oldXml, newXml: await currentXml(), oldLabel: `第 ${latest} 版（已部署）` });
  };

  if (!moddle || !processes || !lintConfig) return <Loading />;
  const errors = problems.filter((p) => p.severity === 'error');
  return (
    <Box sx={{ mt: 1 }}>
      <Title title={isNew ? '新建流程' : `编辑流程：${summary?.name ?? key}`} />
      <Stack direction="row" spacing={1} sx={{ mb: 1, alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
        <Typography variant="h6">{isNew ? '新建流程' : (summary?.name ?? key)}</Typography>
        {latest ? <Chip label={`当前第 ${latest} 版`} /> : <Chip label="尚未部署" />}
        <Box sx={{ flex: 1 }} />
        <Button onClick={() => void saveDraft()}>保存草稿</Button>
        <Button onClick={() => void compare()} disabled={!latest}>
          与已部署版本对比
        </Button>
        <Button variant="contained" onClick={() => void deploy()} disabled={busy} data-testid="deploy">
          部署新版本
        </Button>
        <Button onClick={() => navigate('/process-definitions')}>返回</Button>
      </Stack>
      {banner ? (
        <Alert severity="info" sx={{ mb: 1 }}>
          {banner}
        </Alert>
      ) : null}
      {problems.length ? (
        <Paper variant="outlined" sx={{ mb: 1, maxHeight: 220, overflow: 'auto' }} data-testid="deploy-problems">
          <Typography sx={{ px: 2, pt: 1 }} color={errors.length ? 'error' : 'text.secondary'}>
            {errors.length ? `部署被拒绝：${errors.length} 个问题（点击定位到图中元素）` : `部署成功，${problems.length} 条提示`}
          </Typography>
          <List dense>
            {problems.map((p, i) => (
              <ListItemButton key={i} onClick={() => select(p.elementId)}>
                <Chip size="small" label={p.severity === 'error' ? '错误' : '提示'} color={p.severity === 'error' ? 'error' : 'default'} sx={{ mr: 1 }} />
                <ListItemText primary={p.message} secondary={p.elementId ? `元素 ${p.elementId}` : '整个流程图'} />
              </ListItemButton>
            ))}
          </List>
        </Paper>
      ) : null}
      <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 340px', height: '70vh' }}>
        <div ref={canvasRef} className="zcps-canvas" data-testid="modeler" />
        <div ref={panelRef} className="zcps-properties" />
      </Box>
      <Dialog open={diff !== null} onClose={() => setDiff(null)} fullWidth maxWidth="xl">
        <DialogTitle>与已部署版本的差异</DialogTitle>
        <DialogContent>{diff ? <DiffView oldXml={diff.oldXml} newXml={diff.newXml} oldLabel={diff.oldLabel} newLabel="编辑中" moddleDescriptor={moddle} /> : null}</DialogContent>
        <DialogActions>
          <Button onClick={() => setDiff(null)}>关闭</Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
