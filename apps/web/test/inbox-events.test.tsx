import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { inboxKeys, reconnectDelayMs, useInboxEvents } from "../src/features/live-chat/api/inbox";

const CONVERSATION = "00000000-0000-4000-8000-0000000000c1";

/** Enough of EventSource to open, deliver named events, fail and give up, as a browser's does. */
class FakeEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static made: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, ((e: MessageEvent) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.made.push(this);
  }
  addEventListener(type: string, listener: (e: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  emit(type: string, id: string, data: unknown) {
    for (const l of this.listeners.get(type) ?? [])
      l(new MessageEvent(type, { data: JSON.stringify(data), lastEventId: id }));
  }
  fail(givesUp: boolean) {
    this.readyState = givesUp ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.onerror?.();
  }
}

describe("the inbox's live stream", () => {
  let client: QueryClient;
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  beforeEach(() => {
    FakeEventSource.made = [];
    vi.stubGlobal("EventSource", FakeEventSource);
    vi.useFakeTimers();
    client = new QueryClient();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("is live once open, refreshes the lists and the conversation an event is about, and says when it reconnects", () => {
    const seen: string[] = [];
    const { result, unmount } = renderHook(() => useInboxEvents(), { wrapper });
    const invalidate = vi.spyOn(client, "invalidateQueries");
    expect(result.current).toBe("connecting");
    const stream = FakeEventSource.made[0];
    if (!stream) throw new Error("no stream opened");
    expect(stream.url).toBe("/api/v1/inbox/events");
    act(() => stream.open());
    expect(result.current).toBe("live");

    invalidate.mockClear();
    invalidate.mockImplementation(async (filters) => {
      seen.push(JSON.stringify(filters?.queryKey));
    });
    act(() =>
      stream.emit("message.created", "41", {
        id: "41",
        type: "message.created",
        conversationId: CONVERSATION,
        teamId: null,
        agentId: null,
        item: null,
        at: "2026-11-27T01:00:00.000Z",
      }),
    );
    expect(seen).toEqual([JSON.stringify(["inbox", "list"]), JSON.stringify(inboxKeys.conversation(CONVERSATION))]);

    // A network drop: the browser retries by itself (and resends Last-Event-ID); no second stream of ours.
    act(() => stream.fail(false));
    expect(result.current).toBe("reconnecting");
    act(() => vi.advanceTimersByTime(60_000));
    expect(FakeEventSource.made).toHaveLength(1);
    act(() => stream.open());
    expect(result.current).toBe("live");
    unmount();
    expect(stream.readyState).toBe(FakeEventSource.CLOSED);
  });

  it("opens a new stream from the last event it saw when the browser gives up", () => {
    const { result } = renderHook(() => useInboxEvents(), { wrapper });
    const first = FakeEventSource.made[0];
    if (!first) throw new Error("no stream opened");
    act(() => first.open());
    act(() =>
      first.emit("conversation.queued", "97", {
        id: "97",
        type: "conversation.queued",
        conversationId: CONVERSATION,
        teamId: null,
        agentId: null,
        item: null,
        at: "2026-11-27T01:00:00.000Z",
      }),
    );
    act(() => first.fail(true));
    expect(result.current).toBe("reconnecting");
    act(() => vi.advanceTimersByTime(reconnectDelayMs(0) - 1));
    expect(FakeEventSource.made).toHaveLength(1);
    act(() => vi.advanceTimersByTime(1));
    expect(FakeEventSource.made[1]?.url).toBe("/api/v1/inbox/events?lastEventId=97");
    // Still refused: it waits longer each time, never more than 30 seconds.
    act(() => FakeEventSource.made[1]?.fail(true));
    act(() => vi.advanceTimersByTime(reconnectDelayMs(1)));
    expect(FakeEventSource.made).toHaveLength(3);
    expect(reconnectDelayMs(20)).toBe(30_000);
    act(() => FakeEventSource.made[2]?.open());
    expect(result.current).toBe("live");
  });
});
