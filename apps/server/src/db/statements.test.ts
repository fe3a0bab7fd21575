import SQLite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { reusingStatements, STATEMENT_CACHE_SIZE } from './database.js'

describe('reused SQLite statements', () => {
  it('prepares one SQL text once and runs it with each call’s parameters', () => {
    const sqlite = new SQLite(':memory:')
    const database = reusingStatements(sqlite)
    const first = database.prepare('select ? as n')
    const again = database.prepare('select ? as n')
    expect(again).toBe(first)
    expect(again.all([1])).toEqual([{ n: 1 }])
    expect(again.all([2])).toEqual([{ n: 2 }])
  })

  it('keeps at most the cache size, dropping the least recently used', () => {
    const sqlite = new SQLite(':memory:')
    const database = reusingStatements(sqlite)
    const oldest = database.prepare('select 0')
    const used = database.prepare('select 1')
    for (let i = 2; i < STATEMENT_CACHE_SIZE; i++) database.prepare(`select ${i}`)
    database.prepare('select 0') // now the most recent: `select 1` is the least
    database.prepare(`select ${STATEMENT_CACHE_SIZE}`)
    expect(database.prepare('select 0')).toBe(oldest)
    expect(database.prepare('select 1')).not.toBe(used)
  })

  it('sees a column a migration added after the statement was first prepared', () => {
    const sqlite = new SQLite(':memory:')
    const database = reusingStatements(sqlite)
    sqlite.exec('create table t (a integer)')
    sqlite.exec('insert into t values (1)')
    const statement = database.prepare('select * from t')
    expect(statement.all([])).toEqual([{ a: 1 }])
    sqlite.exec('alter table t add column b integer default 2')
    expect(database.prepare('select * from t').all([])).toEqual([{ a: 1, b: 2 }])
  })
})
