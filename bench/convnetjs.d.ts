// Types for the parts of ConvNetJS (an untyped CommonJS package) that the
// benchmark peer in bench/peers/convnetjs.ts uses.

declare module "convnetjs" {
  namespace convnetjs {
    class Vol {
      constructor(sx: number, sy: number, depth: number, c?: number);
      w: Float64Array;
      dw: Float64Array;
    }
    interface LayerDef {
      type: "input" | "fc" | "dropout" | "softmax";
      out_sx?: number;
      out_sy?: number;
      out_depth?: number;
      num_neurons?: number;
      num_classes?: number;
      activation?: "relu" | "tanh" | "sigmoid";
      drop_prob?: number;
      bias_pref?: number;
    }
    interface Layer {
      layer_type: string;
      num_inputs: number;
      out_depth: number;
      filters: Vol[];
      biases: Vol;
    }
    class Net {
      layers: Layer[];
      makeLayers(defs: LayerDef[]): void;
    }
    interface TrainerOptions {
      method?: "sgd" | "adagrad" | "adadelta" | "windowgrad";
      learning_rate?: number;
      momentum?: number;
      batch_size?: number;
      l2_decay?: number;
    }
    class Trainer {
      constructor(net: Net, options: TrainerOptions);
      train(x: Vol, y: number): unknown;
    }
  }
  export default convnetjs;
}
