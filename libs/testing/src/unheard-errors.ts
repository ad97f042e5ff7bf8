import type { EventEmitter } from 'node:events';

/**
 * Records every 'error' an emitter class's instances emit while no listener hears it: in a service, the error
 * that ends the process. `restore()` puts the class's `emit` back.
 */
export function recordUnheardErrors(type: { prototype: EventEmitter }): { messages: string[]; restore(): void } {
  const messages: string[] = [];
  const emit = type.prototype.emit;
  type.prototype.emit = function (this: EventEmitter, event: string | symbol, ...args: unknown[]) {
    if (event === 'error' && this.listenerCount('error') === 0) messages.push((args[0] as Error)?.message);
    return emit.call(this, event, ...args);
  };
  return { messages, restore: () => void (type.prototype.emit = emit) };
}
