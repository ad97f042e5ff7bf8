// The ERP sync and webhook still call the stock row functions under this name; they live in the repository.
export {
  appendMovements,
  ensureLevelRows,
  ensureWarehouse,
  indexLevels,
  levelKey,
  lockLevels,
  writeLevel,
  type LevelKey,
  type LockedLevel,
  type MovementInput,
} from './stock.repository';
