import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction, MenuItemModel } from './tray-view.js';

/** The tray menu model as Electron menu options (type-only electron import: testable without the binary). */
export function menuTemplate(items: readonly MenuItemModel[], onAction: (a: MenuAction) => void): MenuItemConstructorOptions[] {
  return items.map((i): MenuItemConstructorOptions => {
    switch (i.type) {
      case 'separator':
        return { type: 'separator' };
      case 'info':
        return { label: i.label, enabled: false };
      case 'submenu':
        return { label: i.label, submenu: menuTemplate(i.items, onAction) };
      case 'item':
        return { label: i.label, click: () => onAction(i.action), ...(i.action === 'quit' ? { role: undefined, accelerator: 'CmdOrCtrl+Q' } : {}) };
    }
  });
}
