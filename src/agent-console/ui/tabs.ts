/** The tabs: chats, callbacks, and for supervisors canned responses and statistics. */

import { TABS, type TabName } from './page.ts';
import type { ConsoleState } from './state.ts';

/** What each tab loads when it is shown. */
export interface TabLoaders {
  callbacks(): Promise<void>;
  canned(): Promise<void>;
  stats(): Promise<void>;
  reports(): Promise<void>;
}

export type Tabs = ReturnType<typeof createTabs>;

export function createTabs(state: ConsoleState, load: TabLoaders) {
  function show(name: TabName, focus = false): void {
    state.currentTab = name;
    for (const t of TABS) {
      const selected = t.name === name;
      t.tab.setAttribute('aria-selected', String(selected));
      t.tab.tabIndex = selected ? 0 : -1;
      t.panel.hidden = !selected;
      if (selected && focus) t.tab.focus();
    }
    if (state.session === null) return;
    if (name === 'callbacks') void load.callbacks();
    if (name === 'canned') void load.canned();
    if (name === 'stats') void load.stats();
    if (name === 'reports') void load.reports();
  }

  /** Arrow keys, Home and End move between tabs (the tab pattern of WAI-ARIA). */
  function onKey(e: KeyboardEvent): void {
    const visible = TABS.filter((t) => !t.tab.hidden);
    const index = visible.findIndex((t) => t.tab === e.target);
    if (index < 0) return;
    let next: number;
    if (e.key === 'ArrowRight') next = (index + 1) % visible.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + visible.length) % visible.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = visible.length - 1;
    else return;
    e.preventDefault();
    const target = visible[next];
    if (target !== undefined) show(target.name, true);
  }

  return { show, onKey };
}
