// Composition root; filled in by the gateway/silo work.
return 0;
