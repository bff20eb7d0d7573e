import { Anchor, createTheme, type CSSVariablesResolver, Drawer, Modal, Notification } from '@mantine/core';

const fontFamily = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  defaultRadius: 'md',
  fontFamily,
  headings: { fontFamily },
  cursorType: 'pointer',
  // People who ask their system for less motion get no transitions.
  respectReducedMotion: true,
  // Close buttons are icons: give them names screen readers can say.
  components: {
    // Links inside text must not rely on color alone.
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close panel' } } }),
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } },
      styles: { description: { color: 'var(--mantine-color-gray-7)' } },
    }),
    // Wide tables scroll sideways on phones: the scrolling box must be reachable by keyboard to scroll it.
    TableScrollContainer: { defaultProps: { type: 'native', tabIndex: 0 } },
  },
});

// Mantine's default filled and light variants (white on shade 6-8, shade 8-9 text on a tinted background) and its
// dimmed gray fall short of WCAG AA's 4.5:1 for several colors; these darker values keep every text readable.
export const cssVariablesResolver: CSSVariablesResolver = (current) => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  };
  for (const color of Object.keys(current.colors)) {
    if (color === 'dark' || color === 'gray') continue;
    const shade9 = `var(--mantine-color-${color}-9)`;
    light[`--mantine-color-${color}-filled`] = `color-mix(in srgb, ${shade9}, black 15%)`;
    light[`--mantine-color-${color}-filled-hover`] = `color-mix(in srgb, ${shade9}, black 30%)`;
    light[`--mantine-color-${color}-light`] = `var(--mantine-color-${color}-0)`;
    light[`--mantine-color-${color}-light-hover`] = `var(--mantine-color-${color}-1)`;
    light[`--mantine-color-${color}-light-color`] = `color-mix(in srgb, ${shade9}, black 30%)`;
    light[`--mantine-color-${color}-outline`] = `color-mix(in srgb, ${shade9}, black 15%)`;
  }
  return { variables: {}, light, dark: {} };
};
