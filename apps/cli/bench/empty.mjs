// An empty ES module: bench/startup.mjs's baseline for the ES module loader's own start.
