import { MemoryStorage } from '../../../src/state/memory-storage.ts';
import { storageContract } from '../../contract/storage.contract.ts';

storageContract('MemoryStorage', async () => new MemoryStorage());
