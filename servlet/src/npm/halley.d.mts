/// <reference path="./halley.d.ts" />
// The ES module halley.mjs: its default export and its named export Halley are the client
// declared (as the global namespace of the classic script) in halley.d.ts.
import H = Halley;
export default H;
export { H as Halley };
