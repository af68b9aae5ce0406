/**
 * Generated rows admitted while their first call node's calling window was closed, before the row
 * is made: four numbers each (row index, queue sequence number of its first dial, when the window
 * opens, its place in the list), in columns of doubles, so a night of paced rows costs 32 bytes a
 * row instead of a row's data and state. Rows join in admission order and leave from the front:
 * both the opening time (monotonic in the admission time) and the sequence number grow, so the
 * front row is always the first one due.
 */
export interface WaitingRow {
  index: number;
  seq: number;
  due: number;
  order: number;
}

const COLUMNS = 4;
/** Rows room is made for at first (it doubles as needed): most campaigns never pace a row. */
const INITIAL_ROWS = 8;

export class WaitingRows {
  private cols = new Float64Array(COLUMNS * INITIAL_ROWS);
  private head = 0;
  private tail = 0;

  get size(): number {
    return this.tail - this.head;
  }

  push(r: WaitingRow): void {
    if (this.tail * COLUMNS === this.cols.length) this.makeRoom();
    const at = this.tail++ * COLUMNS;
    const c = this.cols;
    c[at] = r.index;
    c[at + 1] = r.seq;
    c[at + 2] = r.due;
    c[at + 3] = r.order;
  }

  /** The front row (undefined when none waits). */
  peek(): WaitingRow | undefined {
    return this.size === 0 ? undefined : this.row(this.head);
  }

  shift(): WaitingRow | undefined {
    const r = this.peek();
    if (r) this.head++;
    return r;
  }

  /** Every waiting row, front first; none is left waiting. */
  drain(): WaitingRow[] {
    const out: WaitingRow[] = [];
    for (let i = this.head; i < this.tail; i++) out.push(this.row(i));
    this.head = this.tail = 0;
    this.cols = new Float64Array(COLUMNS * INITIAL_ROWS);
    return out;
  }

  private row(i: number): WaitingRow {
    const at = i * COLUMNS;
    const c = this.cols;
    return { index: c[at]!, seq: c[at + 1]!, due: c[at + 2]!, order: c[at + 3]! };
  }

  /** Move the rows to the front, or double the columns when over half of them still wait. */
  private makeRoom(): void {
    const live = this.size;
    const cols = live * 2 > this.cols.length / COLUMNS ? new Float64Array(this.cols.length * 2) : this.cols;
    cols.set(this.cols.subarray(this.head * COLUMNS, this.tail * COLUMNS), 0);
    this.cols = cols;
    this.head = 0;
    this.tail = live;
  }
}
