/**
 * The events WebSocket (/v1/register/events): each register hears its own orders' events, one
 * JSON text frame each (a registerEvent). It says nothing back: what it sends is ignored. A
 * revoked register's sockets are closed at once (4003).
 */
import type { WebSocket } from 'ws';
import type { RegisterEvent } from '../../contract';

export class RegisterEventHub {
  private readonly sockets = new Map<WebSocket, string>();

  add(registerId: string, socket: WebSocket): void {
    this.sockets.set(socket, registerId);
    socket.on('close', () => this.sockets.delete(socket));
    // Nothing is read from a register's socket: a message is no request here.
    socket.on('message', () => undefined);
  }

  dispatch(event: RegisterEvent): void {
    const frame = JSON.stringify(event);
    for (const [socket, registerId] of this.sockets)
      if (registerId === event.registerId && socket.readyState === socket.OPEN) socket.send(frame);
  }

  closeRegister(registerId: string): void {
    for (const [socket, id] of this.sockets)
      if (id === registerId) socket.close(4003, 'this register was unpaired');
  }

  close(): void {
    for (const socket of this.sockets.keys()) socket.terminate();
    this.sockets.clear();
  }
}
