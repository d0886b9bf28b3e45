package dev.asyncrpc.spring.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/** The observations of asyncrpc calls and their tags. */
public enum AsyncRpcObservationDocumentation implements ObservationDocumentation {

    /** A call as its caller sees it: from the proxy call until the outcome reaches the handle. */
    CLIENT {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultAsyncRpcClientObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeyNames.values();
        }
    },

    /** A call as its server sees it: from dispatch until the reply is decided. */
    SERVER {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultAsyncRpcServerObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeyNames.values();
        }
    };

    /** The tags of both observations: a handful of values each. */
    public enum LowCardinalityKeyNames implements KeyName {

        /** The service name, as in {@code @RemoteService("name")}. */
        SERVICE {
            @Override
            public String asString() {
                return "service";
            }
        },

        /** The operation (the interface method's name). */
        METHOD {
            @Override
            public String asString() {
                return "method";
            }
        },

        /**
         * {@code OK}, the name of the {@link dev.asyncrpc.Status} the call failed with, or
         * {@code UNKNOWN} while it runs.
         */
        STATUS {
            @Override
            public String asString() {
                return "status";
            }
        },

        /**
         * {@code true} when this side uses an asynchronous handle: a caller's {@code @AsyncRemote}
         * method, or an implementation that returns a future or completes an {@code AsyncReply}.
         */
        ASYNC {
            @Override
            public String asString() {
                return "async";
            }
        }
    }
}
