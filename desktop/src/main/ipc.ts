import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { invokeChannels, type InvokeChannel, type InvokeChannels } from '../ipc/channels.js';
import { invokeSchemas, isTrustedSender } from './ipc-schemas.js';

export type Handlers = { [C in InvokeChannel]: (arg: InvokeChannels[C][0]) => Promise<InvokeChannels[C][1]> | InvokeChannels[C][1] };

/** Register one handler per listed channel; each checks who is asking and what they sent (E-4). */
export function registerIpc(handlers: Handlers, appOrigins: () => readonly string[]): void {
  for (const channel of invokeChannels) {
    ipcMain.handle(channel, async (e: IpcMainInvokeEvent, arg: unknown) => {
      if (!isTrustedSender(e.senderFrame?.url, appOrigins())) throw new Error('Refused: not an app page');
      const parsed = invokeSchemas[channel].safeParse(arg);
      if (!parsed.success) throw new Error(`Bad ${channel} payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return (handlers[channel] as (a: unknown) => unknown)(parsed.data);
    });
  }
}
