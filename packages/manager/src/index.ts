/**
 * @packageDocumentation
 * The privileged patchpanel daemon. Its concerns arrive issue by issue (see README.md); until then the
 * package only anchors the build graph: it may import `@patchpanel/ipc` and `@patchpanel/netio`, nothing imports it.
 */
export {};
