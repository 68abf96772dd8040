package io.outpost.brokerclient;

/** What a role hears of its connection to a broker, for those who show it: made, lost, back. */
public interface ConnectionWatch {
    /** A connection was made: the first, or a new one after the old one was given up. */
    void opened();

    /** Artemis found the connection dead and is reconnecting. */
    void lost();

    /** The lost connection reconnected (Artemis calls it failing over, to the same broker or its backup). */
    void back();

    /** For connections nobody shows. */
    ConnectionWatch NONE = new ConnectionWatch() {
        @Override
        public void opened() {
        }

        @Override
        public void lost() {
        }

        @Override
        public void back() {
        }
    };
}
