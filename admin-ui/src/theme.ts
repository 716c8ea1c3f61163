import type { ThemeOptions } from '@mui/material';
import { zhCN } from '@mui/material/locale';
import { defaultDarkTheme, defaultLightTheme } from 'react-admin';

type Components = NonNullable<ThemeOptions['components']>;
type Entry = { defaultProps?: object; styleOverrides?: object };

/** Two `components` maps, entry by entry: react-admin's defaults and styles stay, MUI's Chinese texts join them. */
function mergeComponents(a: Components = {}, b: Components = {}): Components {
  const merged: Record<string, Entry> = { ...(a as Record<string, Entry>) };
  for (const [name, entry] of Object.entries(b as Record<string, Entry>)) {
    const own = merged[name] ?? {};
    merged[name] = {
      ...own,
      ...entry,
      ...(own.defaultProps || entry.defaultProps ? { defaultProps: { ...own.defaultProps, ...entry.defaultProps } } : {}),
      ...(own.styleOverrides || entry.styleOverrides ? { styleOverrides: { ...own.styleOverrides, ...entry.styleOverrides } } : {}),
    };
  }
  return merged as Components;
}

/**
 * On a phone (below `sm`, 600 px) a table wider than the screen scrolls inside its own box, so the
 * page itself never scrolls sideways; chips shorten their label, toolbars wrap.
 */
const phone: Components = {
  MuiTable: {
    styleOverrides: {
      root: ({ theme }) => ({
        // cells keep a readable width (not one character per line); the table scrolls instead
        [theme.breakpoints.down('sm')]: { display: 'block', overflowX: 'auto', maxWidth: '100%', '& .MuiTableCell-root': { minWidth: '5em' } },
      }),
    },
  },
  // a chip's label already ends in an ellipsis when it may not grow; on a phone it may not
  MuiChip: {
    styleOverrides: {
      root: ({ theme }) => ({
        [theme.breakpoints.down('sm')]: { maxWidth: '100%' },
      }),
    },
  },
  MuiToolbar: {
    styleOverrides: {
      root: ({ theme }) => ({
        [theme.breakpoints.down('sm')]: { flexWrap: 'wrap', maxWidth: '100%' },
      }),
    },
  },
};

/** A react-admin theme in Chinese (MUI's own texts: Autocomplete's 打开/清除, pagination …) that fits a phone. */
function localised(theme: ThemeOptions): ThemeOptions {
  return { ...theme, components: mergeComponents(mergeComponents(theme.components, zhCN.components as Components), phone) };
}

export const lightTheme = localised(defaultLightTheme);
export const darkTheme = localised(defaultDarkTheme);
