import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventChannel, isInvokeChannel, type RingbackBridge } from '../ipc/channels.js';

// The only thing the renderer gets: invoke/on for the listed channels. Never raw ipcRenderer, never the event object.
const bridge: RingbackBridge = {
  invoke(channel, ...arg) {
    if (!isInvokeChannel(channel)) return Promise.reject(new Error(`Unknown channel ${String(channel)}`));
    return ipcRenderer.invoke(channel, ...arg);
  },
  on(channel, listener) {
    if (!isEventChannel(channel)) throw new Error(`Unknown channel ${String(channel)}`);
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(channel, wrapped);
    return () => void ipcRenderer.removeListener(channel, wrapped);
  },
};

contextBridge.exposeInMainWorld('ringback', bridge);
