/**
 * What the room needs of a member: the one contract between the room (which
 * knows no sockets) and its transports, a TCP connection
 * (`chat_session.ts`) and a browser's WebSocket (`../web/web_member.ts`).
 * The room's tests implement it with fakes.
 *
 * @module
 */

/** One person in the room; the transport implements it (a TCP connection or a browser). */
export interface ChatMember {
  /** The member's address for log lines, such as "127.0.0.1:38566". */
  readonly peer: string;
  /** The member's IP address, for `/ban`; absent (a test's fake): it can be kicked, not banned. */
  readonly host?: string;
  /**
   * Queues bytes for this member: one or more whole lines ending in "\n".
   * Never blocks and never throws; the bytes may be shared with other members
   * and must not be changed.
   *
   * @param frame The lines.
   * @param notice True for notices (joins, leaves, renames): a batching hint,
   *   they may wait a moment to go out with others, so that a burst of joins
   *   costs each member one write, not one per join. People's lines go out at once.
   */
  deliver(frame: Uint8Array, notice?: boolean): void;
  /**
   * The room's list of who is here changed: someone joined, left or took
   * another name, here or on another server. A transport that shows the
   * list (a browser's page) sends it again; a TCP client has nothing to do.
   * Never throws; may be called several times in a row.
   */
  membersChanged(): void;
  /** Closes the connection once what was delivered is written (after /quit). */
  hangUp(): void;
  /**
   * The member's page came back on another connection, here or on another
   * server, which took its place: the room has let it go without a leave;
   * the transport closes it (and says nothing more to the room). Without
   * this method, `hangUp()`.
   */
  continued?(): void;
  /**
   * The member's own line as the others got it (its text, `/me` or `/msg`),
   * in order with what it is delivered. A transport that shows the member its
   * own lines (a browser's page) sends it, marked as its own; without this
   * method the member gets its `/msg` through `deliver()` and nothing else.
   *
   * @param frame The lines, shared with other members: not to change.
   */
  ownLines?(frame: Uint8Array): void;
  /**
   * The history a newcomer gets after its welcome, for a transport that
   * shows it apart from live lines (a browser's page shows it dimmer);
   * without this method it comes in one frame with the welcome.
   *
   * @param frame The earlier lines, shared with other members: not to change.
   * @param ids Their ids in the history, one a line (a page skips a line it
   *   has shown, and says the last it showed when it comes back).
   * @param missed True for lines said while a page that came back was away:
   *   shown as live lines, not as earlier ones.
   */
  deliverEarlier?(frame: Uint8Array, ids?: readonly string[], missed?: boolean): void;
}
