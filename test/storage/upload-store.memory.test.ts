import { MemoryUploadStore } from '../../src/storage/upload-store.memory.js';
import { UPLOAD_EXPIRATION_MS, uploadStoreContract } from './upload-store.contract.js';

uploadStoreContract('MemoryUploadStore', async (clock) => new MemoryUploadStore(clock, UPLOAD_EXPIRATION_MS));
