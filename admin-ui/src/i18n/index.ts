import polyglotI18nProvider from 'ra-i18n-polyglot';
import { zh } from './zh.ts';

export const i18nProvider = polyglotI18nProvider(() => zh, 'zh-CN', [{ locale: 'zh-CN', name: '简体中文' }], { allowMissing: true });
