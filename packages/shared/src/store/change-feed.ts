/**
 * The listener set behind `ResourceStore.subscribe`, shared by every store. Delivery is
 * synchronous and in commit order, even when a listener writes to the store from inside its
 * callback: events published while a dispatch is running are queued and delivered after it.
 */
import type { ChangeEvent, ChangeListener } from './store.js';

/** Called with whatever a listener threw; the feed itself never lets it escape. */
export type ListenerErrorHandler = (error: unknown, event: ChangeEvent) => void;

/** A set of listeners that receives committed changes. */
export interface ChangeFeed {
  /** Adds a listener; the returned function removes it (idempotent). */
  subscribe(listener: ChangeListener): () => void;
  /** Delivers `events` (already committed, in commit order) to every listener. */
  publish(events: readonly ChangeEvent[]): void;
  /** Removes every listener (on close). */
  clear(): void;
}

interface Subscription {
  readonly listener: ChangeListener;
  active: boolean;
}

/** Creates an empty feed; `onListenerError` sees what listeners throw (default: ignore). */
export function createChangeFeed(onListenerError?: ListenerErrorHandler): ChangeFeed {
  // Copy-on-write: a dispatch iterates the array current when it started, and `active` lets
  // an unsubscribe take effect even for the event being dispatched.
  let subscriptions: readonly Subscription[] = [];
  const queue: ChangeEvent[] = [];
  let dispatching = false;

  const deliver = (event: ChangeEvent): void => {
    for (const sub of subscriptions) {
      if (!sub.active) continue;
      try {
        sub.listener(event);
      } catch (err) {
        try {
          onListenerError?.(err, event);
        } catch {
          // A failing error handler must not break delivery either.
        }
      }
    }
  };

  return {
    subscribe(listener) {
      const sub: Subscription = { listener, active: true };
      subscriptions = [...subscriptions, sub];
      return () => {
        if (!sub.active) return;
        sub.active = false;
        subscriptions = subscriptions.filter((s) => s !== sub);
      };
    },
    publish(events) {
      if (events.length === 0) return;
      queue.push(...events);
      if (dispatching) return; // the running dispatch drains the queue, keeping commit order
      dispatching = true;
      try {
        // An index, not shift(): a mesh cascade can publish thousands of events at once.
        for (let head = 0; head < queue.length; head++) {
          const event = queue[head];
          if (event !== undefined) deliver(event);
        }
      } finally {
        queue.length = 0;
        dispatching = false;
      }
    },
    clear() {
      for (const sub of subscriptions) sub.active = false;
      subscriptions = [];
      queue.length = 0;
    },
  };
}
