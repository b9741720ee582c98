import Testing
import Tensors
