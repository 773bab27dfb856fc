import { modelBoundary, anomaliesProhibitedBy } from '../src/elle/models';
console.log(modelBoundary(['garbage-read']).not, anomaliesProhibitedBy(['serializable']).has('garbage-read'), anomaliesProhibitedBy(['monotonic-reads']).has('out-of-order-appends'), modelBoundary(['G0']).not);
