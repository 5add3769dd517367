import { Menu, Tray, nativeImage } from 'electron';
import { menuTemplate } from './menu.js';
import { encodePng } from './png.js';
import { drawTrayIcon } from './tray-icon.js';
import type { MenuAction, TrayView } from './tray-view.js';

/** Draw the icon at 1× and 2× so it is crisp on every display. */
function icon(view: TrayView['icon']) {
  const img = nativeImage.createEmpty();
  for (const [size, scaleFactor] of [[16, 1], [32, 2]] as const) {
    img.addRepresentation({ scaleFactor, buffer: encodePng(size, size, drawTrayIcon(size, view.tone, view.count)) });
  }
  return img;
}

export interface TrayHandle {
  render(view: TrayView): void;
  destroy(): void;
}

export function createTray(onAction: (a: MenuAction) => void): TrayHandle {
  const tray = new Tray(icon({ tone: 'off', count: null }));
  let last = '';
  tray.on('click', () => onAction('open-queue'));
  return {
    render(view) {
      // Rebuilding an unchanged menu closes it under the user's pointer on some platforms.
      const key = JSON.stringify(view);
      if (key === last) return;
      last = key;
      tray.setImage(icon(view.icon));
      tray.setToolTip(view.tooltip);
      if (process.platform === 'darwin') tray.setTitle(view.title, { fontType: 'monospacedDigit' });
      tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(view.menu, onAction)));
    },
    destroy: () => tray.destroy(),
  };
}
