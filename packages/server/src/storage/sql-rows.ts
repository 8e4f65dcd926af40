import type { OutboxMessage, OutboxStatus, StoredItem, UserRecord } from './types.ts';

// Row shapes shared by the SQLite and PostgreSQL backends. PostgreSQL returns BIGINT columns as strings,
// hence the Number() conversions.

export interface UserRow {
  username: string;
  password_hash: string;
  attributes: string;
  disabled: number | boolean;
  created_at: number | string;
  updated_at: number | string;
}

export function userFromRow(row: UserRow): UserRecord {
  return {
    username: row.username,
    passwordHash: row.password_hash,
    attributes: JSON.parse(row.attributes),
    disabled: Boolean(row.disabled),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface OutboxRow {
  id: string;
  url: string;
  body: string;
  session_index: string;
  service: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number | string;
  created_at: number | string;
  last_error: string | null;
}

export function outboxFromRow(row: OutboxRow): OutboxMessage {
  const message: OutboxMessage = {
    id: row.id,
    url: row.url,
    body: row.body,
    sessionIndex: row.session_index,
    service: row.service,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: Number(row.next_attempt_at),
    createdAt: Number(row.created_at),
  };
  if (row.last_error !== null) message.lastError = row.last_error;
  return message;
}

export interface ItemRow {
  id: string;
  payload: string;
  expires_at: number | string;
  group_id: string | null;
}

export function itemFromRow<T>(row: ItemRow): StoredItem<T> {
  const item: StoredItem<T> = {
    id: row.id,
    payload: JSON.parse(row.payload),
    expiresAt: Number(row.expires_at),
  };
  if (row.group_id !== null) item.groupId = row.group_id;
  return item;
}
