// The kernel module: every export is a kernel that takes byte pointers into host-owned
// memory and sizes, writes into memory the host gave it, and never allocates.
export { heapBase } from './memory';
