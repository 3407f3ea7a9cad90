
const Halley = globalThis.Halley; export default Halley; export { Halley };
