// Loads programs for measurement without attaching them (BPF_PROG_TEST_RUN and bpf stats
// need only a loaded program): nettrace's compiled programs with the maps their
// description asks for, and the bench's C objects with maps the caller describes.

/** Creates the compiled program's maps and loads every program; nothing is attached. */
export function loadCompiled(native, compiled, { maxEntries, logLevel } = {}) {
  const mapFds = compiled.maps.map((m, i) =>
    native.createMap({ type: m.bpfType, keySize: m.key.size, valueSize: m.valueSize, maxEntries: maxEntries ?? m.maxEntries, name: `nt_bench${i}` }),
  );
  const internal = (compiled.internalMaps ?? []).map((m, i) =>
    native.createMap({ type: m.bpfType, keySize: m.keySize ?? m.key?.size ?? 0, valueSize: m.valueSize ?? 0, maxEntries: m.maxEntries, name: `nt_int${i}` }),
  );
  const programs = compiled.programs.map((p) =>
    native.loadProgram({
      obj: compiled.object,
      section: p.section,
      progType: p.probe.progType,
      expectedAttachType: p.probe.expectedAttachType,
      attachBtfName: p.probe.attachBtfName,
      mapFds: [...mapFds, ...internal],
      name: `nt_${p.functionName}`,
      ...(logLevel ? { logLevel } : {}),
    }),
  );
  return {
    programs,
    mapFds,
    close() {
      for (const p of programs) native.closeFd(p.fd);
      for (const fd of [...mapFds, ...internal]) native.closeFd(fd);
    },
  };
}

/** Loads section `section` of a C object whose maps (by index) are `maps` specs. */
export function loadC(native, object, { section, progType, expectedAttachType, maps = [], name }) {
  const mapFds = maps.map((m, i) => native.createMap({ ...m, name: `bench_c${i}` }));
  const program = native.loadProgram({ obj: object, section, progType, expectedAttachType, mapFds, name });
  return {
    program,
    mapFds,
    close() {
      native.closeFd(program.fd);
      for (const fd of mapFds) native.closeFd(fd);
    },
  };
}
