export {
  type Ipv4AddressUpdate,
  ipv4AddressUpdate,
  type LinkUpdate,
  linkUpdate,
  type NeighbourUpdate,
  neighbourUpdate,
} from './messages';
export { type RtnlDump, type RtnlGroup, type RtnlListener, type RtnlWatch, watchRtnetlink } from './watch';
