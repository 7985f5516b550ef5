internal import CZeroMQ

extension ZMQSocket {
    /// Parts a receiver keeps at most by default; the protocol needs 4 (ROUTER's routing id,
    /// header, two body frames). Larger messages are drained and refused.
    public static let defaultMaxFrames = 16

    /// Sends one multipart message (every frame but the last with ZMQ_SNDMORE). Returns false,
    /// having sent nothing, when the message cannot be queued now: `.dontWait` was given (the
    /// high-water mark is reached, or a DEALER has no connected peer), a ZMQ_SNDTIMEO expired,
    /// or a signal interrupted the wait (EINTR). Parts after the first cannot block: libzmq
    /// admits a multipart message as a whole.
    @discardableResult
    public func send(_ frames: [[UInt8]], flags: ZMQFlags = []) throws(ZMQError) -> Bool {
        let h = try live("send")
        guard !frames.isEmpty else {
            throw .refused("send", errno: ZMQErrno.invalid, "a message needs at least one frame")
        }
        for (i, frame) in frames.enumerated() {
            let more = i < frames.count - 1
            var message = zmq_msg_t()
            try zmqCall("send: allocate frame \(i) of \(frame.count) bytes") {
                zmq_msg_init_size(&message, frame.count)
            }
            if !frame.isEmpty {
                frame.withUnsafeBytes { zmq_msg_data(&message).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            }
            let f = flags.rawValue | (more ? ZMQ_SNDMORE : 0)
            let sent: Int32?
            do {
                sent = try zmqCallUnlessBusy("send frame \(i) of \(frames.count)") { zmq_msg_send(&message, h, f) }
            } catch {
                zmq_msg_close(&message)
                throw error
            }
            if sent == nil {
                // Ownership passes to libzmq only on success.
                zmq_msg_close(&message)
                if i == 0 { return false }
                throw .refused(
                    "send frame \(i) of \(frames.count)", errno: ZMQErrno.again,
                    "libzmq refused a later part of a message it had admitted")
            }
        }
        return true
    }

    /// Receives one whole multipart message. Returns nil when nothing is there: `.dontWait` and
    /// an empty queue, a ZMQ_RCVTIMEO that expired, or a signal (EINTR). A message with more than
    /// `maxFrames` parts is read to its end, discarded, and reported as EMSGSIZE, so a hostile
    /// peer cannot make the receiver hold an unbounded list of frames.
    public func receive(
        flags: ZMQFlags = [], maxFrames: Int = ZMQSocket.defaultMaxFrames
    ) throws(ZMQError) -> [[UInt8]]? {
        let h = try live("receive")
        var frames: [[UInt8]] = []
        var partCount = 0
        while true {
            var message = zmq_msg_t()
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            // Later parts are already here (messages arrive whole), so only the first may wait;
            // EINTR on a later part is retried rather than losing the rest of the message.
            guard
                try zmqCallUnlessBusy("receive", { zmq_msg_recv(&message, h, partCount == 0 ? flags.rawValue : 0) })
                    != nil
            else {
                if partCount == 0 { return nil }
                continue
            }
            partCount += 1
            if partCount <= maxFrames {
                let size = zmq_msg_size(&message)
                frames.append(
                    size == 0 ? [] : [UInt8](UnsafeRawBufferPointer(start: zmq_msg_data(&message), count: size)))
            }
            if zmq_msg_more(&message) == 0 { break }
        }
        guard partCount <= maxFrames else {
            throw .refused(
                "receive", errno: ZMQErrno.messageSize,
                "a message of \(partCount) parts exceeds the limit of \(maxFrames) and was dropped")
        }
        return frames
    }
}
