// Warehouses, the item catalogue with prices, and stock. Stock is topped up to a target level (not added
// blindly), so re-runs do not pile it up and the scarce item stays scarce.
import { listAll, unwrap } from '@crm/api-client';
import { api } from './client';
import { ADMIN, type ProductLine } from './people';

export interface Item {
  sku: string;
  name: string;
  productLine: ProductLine;
  reorderPoint: number;
  /** Unit prices per currency (list price; deals get discounts). */
  price: { CNY: string; USD: string };
  /** Order quantities that make sense for this item. */
  qty: [number, number];
  /** Target on-hand level per warehouse. */
  stock: Record<string, number>;
}

export const WAREHOUSES = [
  { id: 'main', name: 'Main warehouse', priority: 0 }, // made by the inventory migration; created only if missing
  { id: 'sh-pudong', name: 'Shanghai Pudong DC', priority: 10 },
  { id: 'gz-nansha', name: 'Guangzhou Nansha DC', priority: 20 },
];

/** The one item kept short: an order for it goes on hold and alerts its rep (and the level is below its reorder point). */
export const SCARCE_SKU = 'MOTOR-SERVO-2K';

export const ITEMS: Item[] = [
  {
    sku: 'PUMP-CF-200',
    name: 'Centrifugal pump 200 W',
    productLine: 'pumps',
    reorderPoint: 40,
    price: { CNY: '1260.00', USD: '178.00' },
    qty: [4, 24],
    stock: { main: 600, 'sh-pudong': 120 },
  },
  {
    sku: 'PUMP-SUB-750',
    name: 'Submersible pump 750 W',
    productLine: 'pumps',
    reorderPoint: 20,
    price: { CNY: '3480.00', USD: '489.00' },
    qty: [2, 12],
    stock: { main: 300, 'gz-nansha': 60 },
  },
  {
    sku: 'PUMP-DOS-50',
    name: 'Dosing pump 50 l/h',
    productLine: 'pumps',
    reorderPoint: 15,
    price: { CNY: '5650.00', USD: '795.00' },
    qty: [1, 6],
    stock: { main: 160 },
  },
  {
    sku: 'VALVE-BALL-50',
    name: 'Ball valve DN50 stainless',
    productLine: 'valves',
    reorderPoint: 100,
    price: { CNY: '468.50', USD: '65.90' },
    qty: [10, 80],
    stock: { main: 2000, 'sh-pudong': 300 },
  },
  {
    sku: 'VALVE-GATE-100',
    name: 'Gate valve DN100',
    productLine: 'valves',
    reorderPoint: 40,
    price: { CNY: '2150.00', USD: '302.50' },
    qty: [4, 30],
    stock: { main: 700 },
  },
  // Kept close to its reorder point: the orders of one run take it below, which raises stock.low.
  {
    sku: 'VALVE-CTRL-80',
    name: 'Control valve DN80 with positioner',
    productLine: 'valves',
    reorderPoint: 60,
    price: { CNY: '9800.00', USD: '1380.00' },
    qty: [1, 6],
    stock: { main: 64, 'gz-nansha': 80 },
  },
  {
    sku: 'MOTOR-IE3-7K5',
    name: 'IE3 induction motor 7.5 kW',
    productLine: 'motors',
    reorderPoint: 20,
    price: { CNY: '7390.00', USD: '1040.00' },
    qty: [1, 10],
    stock: { main: 260 },
  },
  {
    sku: SCARCE_SKU,
    name: 'Servo motor 2 kW with drive',
    productLine: 'motors',
    reorderPoint: 5,
    price: { CNY: '11800.00', USD: '1660.00' },
    qty: [6, 9],
    stock: { main: 2 },
  },
];

export const itemsOf = (line: ProductLine) => ITEMS.filter((i) => i.productLine === line && i.sku !== SCARCE_SKU);

export interface CatalogueResult {
  warehousesCreated: number;
  itemsUpserted: number;
  receipts: number;
  unitsReceived: number;
}

export async function ensureCatalogue(): Promise<CatalogueResult> {
  const result: CatalogueResult = { warehousesCreated: 0, itemsUpserted: 0, receipts: 0, unitsReceived: 0 };
  const admin = api(ADMIN);
  const have = new Set((await listAll((cursor) => admin.GET('/api/v1/warehouses', { params: { query: { cursor, limit: 200 } } }))).map((w) => w.id));
  for (const w of WAREHOUSES.filter((w) => !have.has(w.id))) {
    await unwrap(admin.POST('/api/v1/warehouses', { body: w }));
    result.warehousesCreated++;
  }
  for (const item of ITEMS) {
    // PUT replaces the item; one that has not changed keeps its version and publishes nothing.
    await unwrap(
      admin.PUT('/api/v1/items/{sku}', {
        params: { path: { sku: item.sku } },
        body: { name: item.name, productLine: item.productLine, reorderPoint: item.reorderPoint, active: true },
      }),
    );
    result.itemsUpserted++;
    for (const [warehouseId, target] of Object.entries(item.stock)) {
      const levels = await unwrap(admin.GET('/api/v1/stock', { params: { query: { sku: item.sku, warehouseId } } }));
      const missing = target - (levels.items[0]?.onHand ?? 0);
      if (missing <= 0) continue;
      await unwrap(
        admin.POST('/api/v1/stock/receipts', { body: { sku: item.sku, warehouseId, quantity: missing, note: 'demo data: top-up to target level' } }),
      );
      result.receipts++;
      result.unitsReceived += missing;
    }
  }
  return result;
}

/** Everything on hand of one SKU, over all warehouses. */
export async function onHand(sku: string): Promise<number> {
  const levels = await listAll((cursor) => api(ADMIN).GET('/api/v1/stock', { params: { query: { sku, cursor, limit: 200 } } }));
  return levels.reduce((n, l) => n + l.onHand, 0);
}
