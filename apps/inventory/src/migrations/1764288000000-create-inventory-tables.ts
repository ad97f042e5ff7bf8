import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalogue, warehouses, stock levels, the append-only movement ledger and per-order allocations. */
export class CreateInventoryTables1764288000000 implements MigrationInterface {
  name = 'CreateInventoryTables1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE items (
        sku           varchar(64) PRIMARY KEY,
        name          varchar(200) NOT NULL,
        product_line  varchar(64),
        reorder_point integer NOT NULL DEFAULT 0 CHECK (reorder_point >= 0),
        active        boolean NOT NULL DEFAULT true,
        version       integer NOT NULL DEFAULT 1,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX items_product_line_idx ON items (product_line, sku)`);
    await q.query(`
      CREATE TABLE warehouses (
        id         varchar(64) PRIMARY KEY,
        name       varchar(200) NOT NULL,
        priority   integer NOT NULL DEFAULT 100,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO warehouses (id, name, priority) VALUES ('main', 'Main warehouse', 0)`);
    // The CHECK is the last line of defence against oversell: a bug that tried would abort its transaction.
    await q.query(`
      CREATE TABLE stock_levels (
        sku          varchar(64) NOT NULL REFERENCES items (sku),
        warehouse_id varchar(64) NOT NULL REFERENCES warehouses (id),
        on_hand      integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
        low_alerted  boolean NOT NULL DEFAULT false,
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (sku, warehouse_id)
      )`);
    // No foreign keys on the ledger: it is history, and in ERP mode it also records SKUs the catalogue lacks.
    await q.query(`
      CREATE TABLE stock_movements (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        sku          varchar(64) NOT NULL,
        warehouse_id varchar(64) NOT NULL,
        delta        integer NOT NULL CHECK (delta <> 0),
        reason       text NOT NULL CHECK (reason IN ('receipt', 'order_deduction', 'order_release', 'adjustment', 'erp_sync')),
        order_id     uuid,
        event_id     uuid,
        note         varchar(500),
        created_at   timestamptz NOT NULL DEFAULT now(),
        "by"         varchar(128) NOT NULL
      )`);
    await q.query(`CREATE INDEX stock_movements_sku_idx ON stock_movements (sku, id)`);
    await q.query(`CREATE INDEX stock_movements_order_idx ON stock_movements (order_id, id) WHERE order_id IS NOT NULL`);
    // Append-only: the ledger is the audit trail, so UPDATE and DELETE are refused by the database itself.
    await q.query(`
      CREATE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'stock_movements is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements
      FOR EACH STATEMENT EXECUTE FUNCTION stock_movements_append_only()`);
    await q.query(`
      CREATE TABLE order_allocations (
        order_id     uuid PRIMARY KEY,
        warehouse_id varchar(64) NOT NULL,
        lines        jsonb NOT NULL,
        status       text NOT NULL CHECK (status IN ('deducted', 'released')),
        event_id     uuid,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE order_allocations');
    await q.query('DROP TABLE stock_movements');
    await q.query('DROP FUNCTION stock_movements_append_only');
    await q.query('DROP TABLE stock_levels');
    await q.query('DROP TABLE warehouses');
    await q.query('DROP TABLE items');
  }
}
