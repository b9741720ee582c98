// Softmax, log-softmax and log-sum-exp of variables along the last axis, with their backward
// rules written in terms of the forward outputs. With s = softmax(z) and g = ∂L/∂(output):
//
//     softmax:     ∂L/∂zᵢ = sᵢ (gᵢ − Σⱼ gⱼ sⱼ)
//     logSoftmax:  ∂L/∂zᵢ = gᵢ − sᵢ Σⱼ gⱼ
//     logSumExp:   ∂L/∂zᵢ = g · sᵢ

extension Variable {
    /// softmax along the last axis (stable: the row maximum is subtracted first).
    public func softmax() -> Variable {
        let s = value.softmax()
        return Variable(s, op: "softmax", inputs: [self]) { g in
            let dot = (g * s).sum(axis: -1, keepingDimension: true)
            self.accumulate(s * (g - dot))
        }
    }

    /// log-softmax along the last axis: z − logSumExp(z).
    public func logSoftmax() -> Variable {
        let y = value.logSoftmax()
        return Variable(y, op: "logSoftmax", inputs: [self]) { g in
            let total = g.sum(axis: -1, keepingDimension: true)
            self.accumulate(g - y.exp() * total)
        }
    }

    /// log Σⱼ exp(zⱼ) along the last axis, which is dropped.
    public func logSumExp() -> Variable {
        let y = value.logSumExp()
        return Variable(y, op: "logSumExp", inputs: [self]) { g in
            var kept = self.shape
            kept[kept.count - 1] = 1
            self.accumulate(g.reshaped(kept) * self.value.softmax())
        }
    }
}
